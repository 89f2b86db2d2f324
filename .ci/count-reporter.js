// A jest reporter that writes jest's own counts to $TSYNCIO_JEST_SUMMARY, for .ci/run's last line.
// It also keeps a failed run from hanging CI: if jest's process is still alive a minute after the
// last spec (something left a server, socket, child or timer open), it says so and exits 1.
class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TSYNCIO_JEST_SUMMARY;
    if (file) {
      require('fs').writeFileSync(file, JSON.stringify({
        numPassedTests: results.numPassedTests,
        numFailedTests: results.numFailedTests,
      }));
    }
    setTimeout(() => {
      console.error('jest is still running 60 s after the last spec: something was left open (run jest --detectOpenHandles)');
      process.exit(1);
    }, 60_000).unref();
  }
}
module.exports = CountReporter;

// A jest reporter that writes jest's own counts to $TSYNCIO_JEST_SUMMARY, for .ci/run's last line.
class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TSYNCIO_JEST_SUMMARY;
    if (!file) return;
    require('fs').writeFileSync(file, JSON.stringify({
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
    }));
  }
}
module.exports = CountReporter;

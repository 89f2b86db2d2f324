import { createSubprocessExec, createSubprocessShell, PIPE, STDOUT, run } from '../../lib';

describe('quick', () => {
  test('echo', async () => {
    const r = await run((function* () {
      const p = yield* createSubprocessExec('sh', '-c', 'echo out; echo err >&2; echo out2', { stdout: PIPE, stderr: STDOUT });
      const [out, err] = yield* p.communicate();
      return [out!.toString(), err, p.returncode];
    })());
    expect(r).toEqual(['out\nerr\nout2\n', null, 0]);
  });
  test('cat', async () => {
    const r = await run((function* () {
      const p = yield* createSubprocessShell('cat', { stdin: PIPE, stdout: PIPE });
      const [out] = yield* p.communicate(Buffer.from('hello'));
      return [out!.toString(), p.returncode];
    })());
    expect(r).toEqual(['hello', 0]);
  });
});

// Runs around every test of every spec (jest's setupFilesAfterEnv, jest.config.js). After each test:
// spies are restored, the sockets spec/helpers/loopback.ts made are closed, and no event loop is
// left running. lib is loaded here only after the test has run, so a spec that loads one lib
// module alone still does.
type Lib = typeof import('../../lib');
type Loopback = typeof import('./loopback');

afterEach(() => {
  jest.restoreAllMocks();
  jest.requireActual<Loopback>('./loopback').closeLoopbackSockets();
  const { getRunningLoop } = jest.requireActual<Lib>('../../lib');
  expect(() => getRunningLoop()).toThrow('no running event loop');
});

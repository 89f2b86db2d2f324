/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type-checking is `npm run typecheck`'s job; jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false, isolatedModules: true }],
  },
  // After each test: spies restored, helper sockets closed, no loop left running.
  setupFilesAfterEnv: ['<rootDir>/spec/helpers/setup.ts'],
  // The TLS specs' certificates, made once per run with the openssl command line.
  globalSetup: '<rootDir>/spec/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/spec/helpers/global-teardown.ts',
  testTimeout: 30000,
  // Spec files run in a worker process, never in jest's own: with 2 cores jest would otherwise run
  // every file in its main process, one heap for all ~90 files. Late files then paid for that heap in
  // every full collection (the GC-report and complexity specs timed out or measured superlinear),
  // and a handle a failed spec left open kept jest from ever exiting. The worker is replaced once
  // it holds more than this after a file; at the end jest stops it whatever it still has open.
  workerIdleMemoryLimit: '512MB',
  reporters: ['default', '<rootDir>/.ci/count-reporter.js'],
};

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
  reporters: ['default', '<rootDir>/.ci/count-reporter.js'],
};

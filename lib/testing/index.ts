// tsyncio/testing: tools for testing task ordering (Trio's trio.testing). No runtime dependency and
// no test-runner globals: a failure is a thrown error, so any test runner works (docs/TESTING.md).
export { Sequencer } from './sequencer';
export { waitAllTasksBlocked } from './wait-all-tasks-blocked';
export { MemorySocket, socketpair, openMemoryConnection } from './memory';
export type { OpenMemoryConnectionOptions, SocketpairOptions } from './memory';
export { expectSequence } from './expect-sequence';
export { runTest, runTestSync } from './run-test';
export type { RunTestOptions } from './run-test';
export { explore, exploreSync, ScheduleFailure } from './explore';
export type { ExploreOptions, ExploreReport } from './explore';
export type { TestContext } from './test-loop';

// No hidden side effects: every lib module works when it is the only one a program requires (each is
// loaded alone, in a fresh module registry, from the TypeScript sources and from the build in dist/).
// Nothing is installed by importing another file: base-events imports Task itself (the default task
// factory), and events.ts loads the default loop class (io/selector-events) lazily, when a loop is
// first asked for (see the headers of lib/base-events.ts and lib/events.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SOURCES = path.join(ROOT, 'lib');
const BUILD = path.join(ROOT, 'dist', 'lib');

type Lib = typeof import('../lib');
type BaseEvents = typeof import('../lib/base-events');
type Events = typeof import('../lib/events');
type Runners = typeof import('../lib/runners');
type Tasks = typeof import('../lib/tasks');

/** The module files under `dir` with extension `ext`, as paths relative to `dir` without it. */
function modules(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -ext.length).replace(/\\/g, '/'))
    .sort();
}

/**
 * Requires `module` of `root` alone, in a fresh registry with nothing of lib loaded before it, and
 * returns `use(its exports)`. `use` runs inside that registry: a lazy require() it triggers (the
 * default loop class) loads into the same registry, as it would in a program.
 */
function alone<R>(root: string, module: string, use: (exports: never) => R): R {
  let result: { value: R } | undefined;
  jest.isolateModules(() => {
    result = { value: use(jest.requireActual(path.join(root, module))) };
  });
  return (result as { value: R }).value;
}

function* answer(): Generator<unknown, number, unknown> {
  yield; // one loop iteration
  return 42;
}

describe.each([
  ['the TypeScript sources', SOURCES, '.ts'],
  ['the build (dist/lib)', BUILD, '.js'],
])('each lib module required alone: %s', (_what, root, ext) => {
  beforeAll(() => {
    if (!fs.existsSync(root)) throw new Error(`${root} is missing: run \`npm run build\` first (npm test does)`);
  });

  const names = fs.existsSync(root) ? modules(root, ext) : [];

  test('every module of lib/ is there', () => {
    expect(names).toEqual(expect.arrayContaining(modules(SOURCES, '.ts')));
  });

  test.each(modules(SOURCES, '.ts'))('%s loads', (module) => {
    const exports = alone(root, module, (m: Record<string, unknown>) => m);
    expect(typeof exports).toBe('object');
  });

  test('base-events alone: new BaseEventLoop() creates and runs a task (the default task factory needs no other import)', () => {
    alone(root, 'base-events', ({ BaseEventLoop }: BaseEvents) => {
      const loop = new BaseEventLoop();
      try {
        const task = loop.createTask(answer());
        expect(loop.runUntilCompleteSync(task)).toBe(42);
        expect(task.getName()).toMatch(/^Task-\d+$/);
      } finally {
        loop.close();
      }
    });
  });

  test('events alone: newEventLoop() and getEventLoop() make the default loop class (loaded on first use)', () => {
    alone(root, 'events', (events: Events) => {
      const loop = events.newEventLoop();
      try {
        expect(loop.constructor.name).toBe('EventLoop');
        expect(loop.runUntilCompleteSync(answer())).toBe(42);
      } finally {
        loop.close();
      }
      const current = events.getEventLoop();
      expect(current.constructor.name).toBe('EventLoop');
      expect(events.getEventLoop()).toBe(current);
      current.close();
      events.setEventLoop(null);
    });
  });

  test('tasks alone: a Task made without a loop runs on the current loop', () => {
    alone(root, 'tasks', ({ Task }: Tasks) => {
      const task = new Task(answer());
      const loop = task.getLoop();
      try {
        expect(loop.runUntilCompleteSync(task)).toBe(42);
      } finally {
        loop.close();
      }
    });
  });

  test('runners alone: runSync() runs a coroutine', () => {
    expect(alone(root, 'runners', ({ runSync }: Runners) => runSync(answer()))).toBe(42);
  });

  test('index alone: run() runs a coroutine', async () => {
    await expect(alone(root, 'index', (asyncio: Lib) => asyncio.run(answer()))).resolves.toBe(42);
  });
});

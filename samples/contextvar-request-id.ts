// Source: modelled on the Python docs, "contextvars", section "asyncio support"
// (https://docs.python.org/3/library/contextvars.html#asyncio-support), whose example keeps the
// client address in a ContextVar; this one keeps a request ID and needs no sockets. The Python
// original is contextvar-request-id.py next to this file.
// Shows: each task runs in a copy of its creator's context, so three concurrent "requests" each
// set the ID once and every log line, even one written by a coroutine they await, shows the
// right ID; main's own context never sees them.
import { ContextVar, TaskGroup, asyncWith, run, sleep, type Coroutine } from '../lib';

const requestId = new ContextVar<number | string>('request_id', { default: '-' });

function log(message: string): void {
  console.log(`[request ${requestId.get()}] ${message}`);
}

function* queryDatabase(query: string): Coroutine<number> {
  log(`querying '${query}'`);
  yield* sleep(0.2);
  log('query done');
  return query.length;
}

function* handleRequest(rid: number, path: string, delay: number): Coroutine {
  requestId.set(rid);
  yield* sleep(delay);
  log(`handling ${path}`);
  const size = yield* queryDatabase(`SELECT * FROM ${path.replace(/^\/+|\/+$/g, '')}`);
  log(`responding with ${size} bytes`);
}

export function* main(): Coroutine {
  log('server starting');
  yield* asyncWith(new TaskGroup(), function* (tg) {
    tg.createTask(handleRequest(1, '/users', 0.1));
    tg.createTask(handleRequest(2, '/orders', 0.25));
    tg.createTask(handleRequest(3, '/items', 0.5));
  });
  // Each request set the ID in its own task's context: none of them leaked here.
  log('all requests done');
}

if (require.main === module) void run(main());

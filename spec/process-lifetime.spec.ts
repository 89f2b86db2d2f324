// A program that leaves a server or connection open ends when run() returns, as a Python program
// does: sockets never keep Node's process alive by themselves; a running loop or a waiting
// select() does. Each case runs the same program under python3 and under Node (against dist/).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const DIST_INDEX = path.join(ROOT, 'dist', 'lib', 'index.js');
const LIMIT_MS = 10_000;

function runNode(source: string): { status: number | null; stdout: string; timedOut: boolean } {
  if (!fs.existsSync(DIST_INDEX)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, ['-e', source], { encoding: 'utf8', timeout: LIMIT_MS, env: { ...process.env, TSYNCIO: DIST_INDEX } });
  return { status: r.status, stdout: r.stdout, timedOut: r.error !== undefined };
}

function runPython(source: string): { status: number | null; stdout: string } {
  const r = spawnSync('python3', ['-c', source], { encoding: 'utf8', timeout: LIMIT_MS });
  return { status: r.status, stdout: r.stdout };
}

describe('process lifetime with sockets left open', () => {
  test('a server and a connection left open: run() returns and the process exits, as in Python', () => {
    const py = runPython(`
import asyncio
async def main():
    server = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection('127.0.0.1', port)
    w.write(b'x')
    print('main done')
asyncio.run(main())
print('run returned')
`);
    const ts = runNode(`
const { run, startServer, openConnection } = require(process.env.TSYNCIO);
function* main() {
  const server = yield* startServer(() => undefined, '127.0.0.1', 0);
  const port = server.sockets[0].getsockname()[1];
  const [, w] = yield* openConnection('127.0.0.1', port);
  w.write(Buffer.from('x'));
  console.log('main done');
}
run(main()).then(() => console.log('run returned'));
`);
    expect(py).toEqual({ status: 0, stdout: 'main done\nrun returned\n' });
    expect(ts).toEqual({ status: 0, stdout: py.stdout, timedOut: false });
  });

  test('a selector waiting without a timeout keeps the process alive until a peer connects', () => {
    const ts = runNode(`
const net = require('node:net');
const { DefaultSelector, EVENT_READ, Socket } = require(process.env.TSYNCIO);
const sel = new DefaultSelector();
const srv = new Socket();
srv.bind(['127.0.0.1', 0]);
srv.listen();
sel.register(srv, EVENT_READ);
// The peer connects after 200 ms from an unref'd timer: only the waiting select() keeps us alive.
setTimeout(() => { const c = net.connect(srv.getsockname()[1], '127.0.0.1'); c.on('connect', () => c.destroy()); }, 200).unref();
sel.select().then((events) => {
  console.log('ready', events.length);
  srv.accept()[0].close();
  srv.close();
  sel.close();
});
`);
    expect(ts).toEqual({ status: 0, stdout: 'ready 1\n', timedOut: false });
  });
});

"""An asyncio echo server for spec/interop.spec.ts (CPython asyncio as the peer of tsyncio).

Listens on 127.0.0.1 port 0, prints the port on its first line, serves CLIENTS connections and
exits. Modes:
  lines     start_server; each line comes back as b'echo:' + line; EOF closes (the default)
  raw       start_server; every chunk comes back as is until EOF
  protocol  loop.create_server with an asyncio.Protocol that echoes lines like 'lines'
Every line it receives is printed as `got <repr>`; `served N` after each connection.
A watchdog ends it after 20 s if the test never connects.
"""
import argparse
import asyncio


async def main(clients, mode):
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    served = 0

    def finished():
        nonlocal served
        served += 1
        print(f'served {served}', flush=True)
        if served == clients:
            done.set()

    async def handle_lines(reader, writer):
        while line := await reader.readline():
            print(f'got {line!r}', flush=True)
            writer.write(b'echo:' + line)
            await writer.drain()
        writer.close()
        await writer.wait_closed()
        finished()

    async def handle_raw(reader, writer):
        total = 0
        while chunk := await reader.read(65536):
            total += len(chunk)
            writer.write(chunk)
            await writer.drain()
        print(f'raw {total}', flush=True)
        writer.close()
        await writer.wait_closed()
        finished()

    class EchoProtocol(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport = transport
            self.buf = b''

        def data_received(self, data):
            self.buf += data
            while b'\n' in self.buf:
                end = self.buf.index(b'\n') + 1
                line, self.buf = self.buf[:end], self.buf[end:]
                print(f'got {line!r}', flush=True)
                self.transport.write(b'echo:' + line)

        def eof_received(self):
            self.transport.close()

        def connection_lost(self, exc):
            finished()

    if mode == 'protocol':
        server = await loop.create_server(EchoProtocol, '127.0.0.1', 0)
    else:
        server = await asyncio.start_server(handle_raw if mode == 'raw' else handle_lines, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await done.wait()


parser = argparse.ArgumentParser()
parser.add_argument('--clients', type=int, default=1)
parser.add_argument('--mode', choices=['lines', 'raw', 'protocol'], default='lines')
args = parser.parse_args()
asyncio.run(asyncio.wait_for(main(args.clients, args.mode), 20))

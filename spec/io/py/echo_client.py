"""An asyncio echo client for spec/interop.spec.ts (CPython asyncio as the peer of tsyncio).

Usage: echo_client.py [--protocol] PORT LINE...
Streams mode (the default): open_connection, then for each LINE write it with b'\n', drain and
print the reply line; then write_eof() and print what arrives until EOF as `eof <repr>`.
Protocol mode: loop.create_connection with an asyncio.Protocol that writes every line and
write_eof() in connection_made, then prints each reply line and `lost <exc>` at the end.
A watchdog ends it after 20 s.
"""
import argparse
import asyncio


async def streams(port, lines):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    for line in lines:
        writer.write(line.encode() + b'\n')
        await writer.drain()
        reply = await reader.readline()
        print(reply.decode().rstrip('\n'), flush=True)
    writer.write_eof()
    rest = await reader.read()
    print(f'eof {rest!r}', flush=True)
    writer.close()
    await writer.wait_closed()


class ClientProtocol(asyncio.Protocol):
    def __init__(self, lines, lost):
        self.lines = lines
        self.lost = lost
        self.buf = b''

    def connection_made(self, transport):
        for line in self.lines:
            transport.write(line.encode() + b'\n')
        transport.write_eof()

    def data_received(self, data):
        self.buf += data

    def eof_received(self):
        print('eof_received', flush=True)

    def connection_lost(self, exc):
        for line in self.buf.decode().splitlines():
            print(line, flush=True)
        print(f'lost {exc!r}', flush=True)
        self.lost.set_result(None)


async def protocol(port, lines):
    loop = asyncio.get_running_loop()
    lost = loop.create_future()
    await loop.create_connection(lambda: ClientProtocol(lines, lost), '127.0.0.1', port)
    await lost


parser = argparse.ArgumentParser()
parser.add_argument('port', type=int)
parser.add_argument('--protocol', action='store_true')
parser.add_argument('lines', nargs='*')
args = parser.parse_args()
coro = protocol(args.port, args.lines) if args.protocol else streams(args.port, args.lines)
asyncio.run(asyncio.wait_for(coro, 20))

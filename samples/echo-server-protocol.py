# The docs' "TCP Echo Server" built on a Protocol (library/asyncio-protocol.html, Examples), made to
# stop: it listens on 127.0.0.1 and the port given as argv[1] (default 8888, as in the docs; 0
# picks a free port), prints that address, and, instead of serve_forever(), waits for the first
# connection to be lost (an on_con_lost future, as the docs' client does) and leaves
# `async with server`.
import asyncio
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888


class EchoServerProtocol(asyncio.Protocol):
    def __init__(self, on_con_lost):
        self.on_con_lost = on_con_lost

    def connection_made(self, transport):
        peername = transport.get_extra_info('peername')
        print('Connection from {}'.format(peername))
        self.transport = transport

    def data_received(self, data):
        message = data.decode()
        print('Data received: {!r}'.format(message))

        print('Send: {!r}'.format(message))
        self.transport.write(data)

        print('Close the client socket')
        self.transport.close()

    def connection_lost(self, exc):
        self.on_con_lost.set_result(True)


async def main():
    # Get a reference to the event loop as we plan to use
    # low-level APIs.
    loop = asyncio.get_running_loop()

    on_con_lost = loop.create_future()

    server = await loop.create_server(
        lambda: EchoServerProtocol(on_con_lost),
        '127.0.0.1', PORT)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')

    async with server:
        await on_con_lost  # the docs: await server.serve_forever()

asyncio.run(main())

# The docs' "TCP echo server using streams" (library/asyncio-stream.html, Examples), made to stop:
# it listens on 127.0.0.1 and the port given as argv[1] (default 8888, as in the docs; 0 picks a
# free port) and, instead of serve_forever(), serves one client and then leaves `async with server`.
import asyncio
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888

served = asyncio.Event()  # set once one client has been served


async def handle_echo(reader, writer):
    data = await reader.read(100)
    message = data.decode()
    addr = writer.get_extra_info('peername')

    print(f"Received {message!r} from {addr!r}")

    print(f"Send: {message!r}")
    writer.write(data)
    await writer.drain()

    print("Close the connection")
    writer.close()
    await writer.wait_closed()
    served.set()


async def main():
    server = await asyncio.start_server(
        handle_echo, '127.0.0.1', PORT)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')

    async with server:
        await served.wait()  # the docs: await server.serve_forever()

asyncio.run(main())

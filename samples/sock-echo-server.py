# An echo server on the event loop's low-level socket methods: loop.sock_accept, loop.sock_recv
# and loop.sock_sendall on a non-blocking socket. It serves one client, echoing until the client
# closes, then stops (a real server would loop on sock_accept and start a task per client).
# Usage: python3 sock-echo-server.py [PORT]   (default 8888; 0 picks a free port)
import asyncio
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888


async def handle_client(loop, client, addr):
    print(f'Connection from {addr}')
    while True:
        data = await loop.sock_recv(client, 100)
        if not data:
            break
        print(f'Received: {data!r}')
        await loop.sock_sendall(client, data)
        print(f'Sent: {data!r}')
    print('Close the connection')
    client.close()


async def main():
    loop = asyncio.get_running_loop()

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(('127.0.0.1', PORT))
    server.listen()
    server.setblocking(False)
    print(f'Serving on {server.getsockname()}')

    # One exchange: accept one client, serve it, stop.
    client, addr = await loop.sock_accept(server)
    await handle_client(loop, client, addr)
    server.close()

asyncio.run(main())

# An echo client on the event loop's low-level socket methods: loop.sock_connect, then
# loop.sock_sendall and loop.sock_recv on a non-blocking socket.
# Usage: python3 sock-echo-client.py [PORT]   (default 8888)
import asyncio
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888


async def main():
    loop = asyncio.get_running_loop()

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    await loop.sock_connect(sock, ('127.0.0.1', PORT))

    message = b'Hello World!'
    print(f'Send: {message!r}')
    await loop.sock_sendall(sock, message)

    data = await loop.sock_recv(sock, 100)
    print(f'Received: {data!r}')

    print('Close the connection')
    sock.close()

asyncio.run(main())

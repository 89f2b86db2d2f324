# A small HTTP/1.1 server on streams: start_server, read the request head with
# readuntil(b'\r\n\r\n'), reply with Content-Length and Connection: close. It listens on 127.0.0.1
# and the port given as argv[1] (default 8080; 0 picks a free port), serves one request, and stops.
# Fetch from it with `curl -i http://127.0.0.1:8080/` or http-client.py.
import asyncio
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8080

PAGE = b'<!DOCTYPE html>\n<html><body><h1>Hello from asyncio</h1></body></html>\n'

served = asyncio.Event()  # set once one request has been answered


def response(status, body):
    head = (
        f'HTTP/1.1 {status}\r\n'
        f'Content-Type: text/html; charset=utf-8\r\n'
        f'Content-Length: {len(body)}\r\n'
        f'Connection: close\r\n'
        f'\r\n'
    )
    return head.encode('latin-1') + body


async def handle_request(reader, writer):
    try:
        head = await reader.readuntil(b'\r\n\r\n')
        request_line, *headers = head.decode('latin-1').split('\r\n')
        print(f'Request> {request_line}')
        for line in headers:
            if line:
                print(f'Header> {line}')
        parts = request_line.split()
        if len(parts) != 3 or not parts[2].startswith('HTTP/'):
            status, body = '400 Bad Request', b'Bad Request\n'
        elif parts[0] != 'GET':
            status, body = '405 Method Not Allowed', b'Method Not Allowed\n'
        elif parts[1] != '/':
            status, body = '404 Not Found', b'Not Found\n'
        else:
            status, body = '200 OK', PAGE
        writer.write(response(status, body))
        await writer.drain()
        print(f'Response> {status}, {len(body)} bytes')
        writer.close()
        await writer.wait_closed()
    finally:
        served.set()


async def main():
    server = await asyncio.start_server(handle_request, '127.0.0.1', PORT)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')

    async with server:
        await served.wait()  # one request; a real server would serve_forever()

asyncio.run(main())

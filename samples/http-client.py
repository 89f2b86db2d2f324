# The docs' "Get HTTP headers" example (library/asyncio-stream.html, Examples), adapted to fetch a
# page over plain HTTP/1.1 from the port (or http:// URL) given as argv[1] (default 8080): a GET
# instead of a HEAD, the headers up to the blank line, then Content-Length bytes of body with
# readexactly. No https: tsyncio has no SSL.
import asyncio
import urllib.parse
import sys


async def print_http_page(url):
    url = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(
        url.hostname, url.port or 80)

    query = (
        f"GET {url.path or '/'} HTTP/1.1\r\n"
        f"Host: {url.netloc}\r\n"
        f"Connection: close\r\n"
        f"\r\n"
    )

    writer.write(query.encode('latin-1'))
    length = 0
    while True:
        line = await reader.readline()
        if not line:
            break

        line = line.decode('latin1').rstrip()
        if not line:
            break  # the blank line ends the headers
        print(f'HTTP header> {line}')
        name, _, value = line.partition(':')
        if name.lower() == 'content-length':
            length = int(value)

    body = await reader.readexactly(length)
    for line in body.decode().splitlines():
        print(f'HTTP body> {line}')

    writer.close()
    await writer.wait_closed()

arg = sys.argv[1] if len(sys.argv) > 1 else '8080'
url = arg if '://' in arg else f'http://127.0.0.1:{arg}/'
asyncio.run(print_http_page(url))

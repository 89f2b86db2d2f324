# A TLS echo client with asyncio streams: the docs' "TCP echo client using streams"
# (library/asyncio-stream.html, Examples) with ssl= and a context that trusts the CA the server
# made (tls-echo-server.py, in a folder named after the port given as argv[1]).
import asyncio
import os
import ssl
import sys
import tempfile

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888


async def tls_echo_client(message):
    cafile = os.path.join(tempfile.gettempdir(), f'tsyncio-tls-sample-{PORT}', 'ca.pem')
    context = ssl.create_default_context(cafile=cafile)
    reader, writer = await asyncio.open_connection(
        '127.0.0.1', PORT, ssl=context, server_hostname='localhost')

    cert = writer.get_extra_info('peercert')
    print(f"Server certificate: {dict(x[0] for x in cert['subject'])!r}")
    print(f"Cipher protocol: {writer.get_extra_info('cipher')[1]}")

    print(f'Send: {message!r}')
    writer.write(message.encode())
    await writer.drain()

    data = await reader.read(100)
    print(f'Received: {data.decode()!r}')

    print('Close the connection')
    writer.close()
    await writer.wait_closed()

asyncio.run(tls_echo_client('Hello TLS!'))

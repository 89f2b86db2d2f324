# A TLS echo server with asyncio streams: the docs' "TCP echo server using streams"
# (library/asyncio-stream.html, Examples) with ssl= (library/ssl.html, "Server-side operation").
# It makes a throwaway CA and a localhost certificate with the openssl command line in a folder
# named after its port (so the client, given only the port, finds the CA to trust), listens on
# 127.0.0.1 and the port given as argv[1] (default 8888; 0 picks a free port), serves one client
# and removes the folder.
import asyncio
import os
import shutil
import ssl
import subprocess
import sys
import tempfile

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888


def make_certificates(folder):
    def openssl(*args):
        subprocess.run(['openssl', *args], cwd=folder, check=True, capture_output=True)
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
    openssl('req', '-x509', *ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=sample CA')
    openssl('req', '-new', *ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
    with open(os.path.join(folder, 'ext.cnf'), 'w') as f:
        f.write('subjectAltName=DNS:localhost,IP:127.0.0.1\n')
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1',
            '-days', '1', '-extfile', 'ext.cnf', '-out', 'server.pem')


def cert_folder(port):
    return os.path.join(tempfile.gettempdir(), f'tsyncio-tls-sample-{port}')


async def handle_echo(reader, writer, served):
    data = await reader.read(100)
    message = data.decode()
    addr = writer.get_extra_info('peername')
    print(f"Received {message!r} from {addr!r} over {writer.get_extra_info('ssl_object').version()}")

    print(f'Send: {message!r}')
    writer.write(data)
    await writer.drain()

    print('Close the connection')
    writer.close()
    await writer.wait_closed()
    served.set()


async def main():
    staging = tempfile.mkdtemp()
    make_certificates(staging)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(staging, 'server.pem'), os.path.join(staging, 'server.key'))

    served = asyncio.Event()
    server = await asyncio.start_server(
        lambda r, w: handle_echo(r, w, served), '127.0.0.1', PORT, ssl=context)
    port = server.sockets[0].getsockname()[1]
    folder = cert_folder(port)
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(staging, folder)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')
    try:
        async with server:
            await served.wait()  # the docs: await server.serve_forever()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

asyncio.run(main())

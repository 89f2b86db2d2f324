"""TLS interop peer for spec/io/ssl.interop.spec.ts: asyncio's TLS over 127.0.0.1.

server  CERTDIR [--starttls] [--alpn P] [--client-cert] [--cert self]: prints its port, serves one client
        (each line back as b'echo:' + line until EOF), then prints what it saw of the client.
client  CERTDIR PORT [--starttls] [--alpn P] [--host H] [--cafile none|ca] [--client-cert]: sends two lines,
        prints the replies, the server's certificate subject, cipher()[1], ALPN; or the error.
"""
import asyncio
import os
import ssl
import sys


def arg(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


CERTS = sys.argv[2]


def path(name):
    return os.path.join(CERTS, name)


def server_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    which = arg('--cert', 'leaf')
    ctx.load_cert_chain(path(f'{which}.pem'), path(f'{which}.key'))
    if '--client-cert' in sys.argv:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(path('ca.pem'))
    if arg('--alpn'):
        ctx.set_alpn_protocols([arg('--alpn'), 'http/1.1'])
    return ctx


def client_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if arg('--cafile', 'ca') != 'none':
        ctx.load_verify_locations(path('ca.pem'))
    if '--client-cert' in sys.argv:
        ctx.load_cert_chain(path('client.pem'), path('client.key'))
    if arg('--alpn'):
        ctx.set_alpn_protocols([arg('--alpn')])
    return ctx


def describe(obj):
    cert = obj.getpeercert()
    subject = dict(x[0] for x in cert['subject']) if cert else None
    return f"peer subject {subject}; {obj.version()} {obj.cipher()[1]}; alpn {obj.selected_alpn_protocol()}"


async def serve():
    done = asyncio.get_running_loop().create_future()
    ctx = server_context()
    starttls = '--starttls' in sys.argv

    async def handle(reader, writer):
        try:
            if starttls:
                line = await reader.readline()
                print('plain', line)
                writer.write(b'OK\n')
                await writer.drain()
                await writer.start_tls(ctx)
            print(describe(writer.get_extra_info('ssl_object')))
            while line := await reader.readline():
                writer.write(b'echo:' + line)
                await writer.drain()
            print('eof')
            writer.close()
            await writer.wait_closed()
            print('closed')
        except Exception as e:
            print('server error', type(e).__name__, e)
        finally:
            done.set_result(None)

    server = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=None if starttls else ctx)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await done


async def client():
    port = int(sys.argv[3])
    ctx = client_context()
    host = arg('--host', 'localhost')
    try:
        if '--starttls' in sys.argv:
            reader, writer = await asyncio.open_connection('127.0.0.1', port)
            writer.write(b'STARTTLS\n')
            print('plain', await reader.readline())
            await writer.start_tls(ctx, server_hostname=host)
        else:
            reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=ctx, server_hostname=host)
    except Exception as e:
        print(f'error {type(e).__name__}: {e}')
        return
    print(describe(writer.get_extra_info('ssl_object')))
    for line in (b'hello\n', b'over tls\n'):
        writer.write(line)
        await writer.drain()
        print('reply', await reader.readline())
    writer.close()
    await writer.wait_closed()
    print('closed')


asyncio.run(serve() if sys.argv[1] == 'server' else client())

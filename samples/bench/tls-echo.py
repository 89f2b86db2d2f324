# Workload tls-echo, CPython asyncio twin of tls-echo.ts: the echo workload over TLS (start_server
# and open_connection with ssl=), CLIENTS clients doing ROUNDS round trips of a SIZE-byte message
# each; the certificate is made with the openssl command line before anything is timed. Rate =
# round trips per second, timed from all clients being connected (handshakes done) to the last reply.
import asyncio
import os
import shutil
import ssl
import subprocess
import tempfile
import time

from bench_util import RUNS, WARM, emit

CLIENTS = 20
ROUNDS = 1_000
SIZE = 64
WARMUP_ROUNDS = 100

handlers = []


def make_certs():
    d = tempfile.mkdtemp(prefix='tls-bench-')

    def openssl(*args):
        subprocess.run(['openssl', *args], cwd=d, check=True, capture_output=True)
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
    openssl('req', '-x509', *ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=bench CA')
    openssl('req', '-new', *ec, '-keyout', 'key.pem', '-out', 'cert.csr', '-subj', '/CN=localhost')
    with open(os.path.join(d, 'ext.cnf'), 'w') as f:
        f.write('subjectAltName=DNS:localhost,IP:127.0.0.1\n')
    openssl('x509', '-req', '-in', 'cert.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1', '-days', '1',
            '-extfile', 'ext.cnf', '-out', 'cert.pem')
    return d


async def handle(reader, writer):
    handlers.append(asyncio.current_task())
    try:
        while True:
            data = await reader.readexactly(SIZE)
            writer.write(data)
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, ssl.SSLError):
            pass


def message(i):
    return f"client {i:4d} ".encode().ljust(SIZE, b".")


async def exchange(reader, writer, msg, rounds):
    reply = b""
    for _ in range(rounds):
        writer.write(msg)
        await writer.drain()
        reply = await reader.readexactly(SIZE)
    assert reply == msg


async def echo(d, rounds):
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(os.path.join(d, 'cert.pem'), os.path.join(d, 'key.pem'))
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.load_verify_locations(os.path.join(d, 'ca.pem'))
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=sctx)
    port = server.sockets[0].getsockname()[1]
    conns = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port, ssl=cctx, server_hostname='localhost')
                                   for _ in range(CLIENTS)))
    t0 = time.perf_counter()
    await asyncio.gather(*(exchange(r, w, message(i), rounds) for i, (r, w) in enumerate(conns)))
    seconds = time.perf_counter() - t0
    for _, w in conns:
        w.close()
    for _, w in conns:
        await w.wait_closed()
    await asyncio.gather(*handlers)
    handlers.clear()
    server.close()
    await server.wait_closed()
    return seconds


def bench():
    d = make_certs()
    try:
        if WARM:
            asyncio.run(echo(d, WARMUP_ROUNDS))
        rates = [CLIENTS * ROUNDS / asyncio.run(echo(d, ROUNDS)) for _ in range(RUNS)]
        emit({"impl": "cpython", "workload": "tls-echo", "clients": CLIENTS, "rounds": ROUNDS, "size": SIZE,
              "rate": max(rates), "rates": rates})
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    bench()

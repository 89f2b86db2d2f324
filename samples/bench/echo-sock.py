# Workload echo-sock, CPython asyncio twin of echo-sock.ts: the echo workload (CLIENTS clients,
# ROUNDS round trips of SIZE bytes each, server and clients in one process on 127.0.0.1) through
# the low-level socket API: non-blocking sockets and loop.sock_accept / sock_connect / sock_recv /
# sock_sendall, no transports or streams. TCP_NODELAY is set on both sides (the tsyncio Socket
# always sets it). Rate = round trips per second, timed from all clients being connected to the
# last reply.
# With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
# full runs, each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import socket
import time

from bench_util import RUNS, WARM, emit

CLIENTS = 100
ROUNDS = 1_000
SIZE = 64
WARMUP_ROUNDS = 100


def nonblocking(sock):
    sock.setblocking(False)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


async def recv_exactly(loop, sock, n):
    """The next n bytes, or b"" at end of stream (a partial message is an error)."""
    data = await loop.sock_recv(sock, n)
    if len(data) == n or not data:
        return data
    buf = bytearray(data)
    while len(buf) < n:
        chunk = await loop.sock_recv(sock, n - len(buf))
        if not chunk:
            raise EOFError(f"EOF after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


async def handle(loop, conn):
    try:
        while True:
            data = await recv_exactly(loop, conn, SIZE)
            if not data:
                break
            await loop.sock_sendall(conn, data)
    finally:
        conn.close()


async def serve(loop, lsock, handlers):
    """Accepts the CLIENTS connections, each served by its own task."""
    for _ in range(CLIENTS):
        conn, _ = await loop.sock_accept(lsock)
        handlers.append(asyncio.create_task(handle(loop, nonblocking(conn))))


def message(i):
    """Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed)."""
    return f"client {i:4d} ".encode().ljust(SIZE, b".")


async def connect(loop, address):
    sock = nonblocking(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    await loop.sock_connect(sock, address)
    return sock


async def exchange(loop, sock, msg, rounds):
    reply = b""
    for _ in range(rounds):
        await loop.sock_sendall(sock, msg)
        reply = await recv_exactly(loop, sock, SIZE)
    assert reply == msg


async def echo(rounds):
    """Returns the seconds CLIENTS x rounds round trips took."""
    loop = asyncio.get_running_loop()
    lsock = nonblocking(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(CLIENTS)
    handlers = []
    server = asyncio.create_task(serve(loop, lsock, handlers))
    socks = await asyncio.gather(*(connect(loop, lsock.getsockname()) for _ in range(CLIENTS)))
    await server
    t0 = time.perf_counter()
    await asyncio.gather(*(exchange(loop, s, message(i), rounds) for i, s in enumerate(socks)))
    seconds = time.perf_counter() - t0
    for s in socks:
        s.close()
    await asyncio.gather(*handlers)
    lsock.close()
    return seconds


def bench():
    if WARM:
        asyncio.run(echo(WARMUP_ROUNDS))
    rates = [CLIENTS * ROUNDS / asyncio.run(echo(ROUNDS)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "echo-sock", "clients": CLIENTS, "rounds": ROUNDS, "size": SIZE, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

# Workload echo, CPython asyncio twin of echo.ts: one process runs a streams echo server
# (asyncio.start_server on 127.0.0.1, port 0) and CLIENTS clients (asyncio.open_connection), each
# doing ROUNDS round trips of a SIZE-byte message: write, drain, readexactly(SIZE); the server's
# handler echoes with readexactly(SIZE), write, drain. Rate = round trips per second, timed from
# all clients being connected to the last reply (connecting and closing are not timed).
# With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
# full runs, each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

CLIENTS = 100
ROUNDS = 1_000
SIZE = 64
WARMUP_ROUNDS = 100

handlers = []  # the server's handler tasks: each run waits for them to finish


async def handle(reader, writer):
    handlers.append(asyncio.current_task())
    try:
        while True:
            data = await reader.readexactly(SIZE)
            writer.write(data)
            await writer.drain()
    except asyncio.IncompleteReadError as e:
        assert e.partial == b""
    finally:
        writer.close()
        await writer.wait_closed()


def message(i):
    """Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed)."""
    return f"client {i:4d} ".encode().ljust(SIZE, b".")


async def exchange(reader, writer, msg, rounds):
    reply = b""
    for _ in range(rounds):
        writer.write(msg)
        await writer.drain()
        reply = await reader.readexactly(SIZE)
    assert reply == msg


async def echo(rounds):
    """Returns the seconds CLIENTS x rounds round trips took."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    conns = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port) for _ in range(CLIENTS)))
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
    if WARM:
        asyncio.run(echo(WARMUP_ROUNDS))
    rates = [CLIENTS * ROUNDS / asyncio.run(echo(ROUNDS)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "echo", "clients": CLIENTS, "rounds": ROUNDS, "size": SIZE, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

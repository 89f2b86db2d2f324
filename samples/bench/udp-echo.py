# Workload udp-echo, CPython asyncio twin of udp-echo.ts: one process runs a UDP echo server
# (loop.create_datagram_endpoint bound to 127.0.0.1, port 0, whose protocol sends every datagram
# back to its sender) and CLIENTS client endpoints (connected with remote_addr), each doing ROUNDS
# round trips of a SIZE-byte datagram: sendto, then wait for the echo (a Future the protocol's
# datagram_received resolves). Rate = round trips per second, timed from all endpoints being made
# to the last reply (making and closing are not timed).
# With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
# full runs, each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

CLIENTS = 10
ROUNDS = 2_000
SIZE = 64
WARMUP_ROUNDS = 100


class EchoServer(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


class EchoClient(asyncio.DatagramProtocol):
    waiter = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        w, self.waiter = self.waiter, None
        if w is not None and not w.done():
            w.set_result(data)

    def error_received(self, exc):
        w, self.waiter = self.waiter, None
        if w is not None and not w.done():
            w.set_exception(exc)


def message(i):
    """Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed)."""
    return f"client {i:4d} ".encode().ljust(SIZE, b".")


async def exchange(client, msg, rounds):
    loop = asyncio.get_running_loop()
    reply = b""
    for _ in range(rounds):
        w = loop.create_future()
        client.waiter = w
        client.transport.sendto(msg)
        reply = await w
    assert reply == msg


async def echo(rounds):
    """Returns the seconds CLIENTS x rounds round trips took."""
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(EchoServer, local_addr=("127.0.0.1", 0))
    host, port = server.get_extra_info("sockname")
    clients = []
    for _ in range(CLIENTS):
        _, p = await loop.create_datagram_endpoint(EchoClient, remote_addr=(host, port))
        clients.append(p)
    t0 = time.perf_counter()
    await asyncio.gather(*(exchange(c, message(i), rounds) for i, c in enumerate(clients)))
    seconds = time.perf_counter() - t0
    for c in clients:
        c.transport.close()
    server.close()
    return seconds


def bench():
    if WARM:
        asyncio.run(echo(WARMUP_ROUNDS))
    rates = [CLIENTS * ROUNDS / asyncio.run(echo(ROUNDS)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "udp-echo", "clients": CLIENTS, "rounds": ROUNDS, "size": SIZE, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

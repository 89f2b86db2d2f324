# Workload switch, CPython asyncio twin of switch.ts: two tasks ping-pong a number through two
# asyncio.Queue()s (ping and pong), 1,000,000 round trips; every round trip is two task switches.
# Rate = switches per second (2 x round trips / seconds), timed from creating the ponger task to
# both tasks being done.
# With --warm (else one cold run, no warm-up): one 100,000-round-trip run, then WARM_RUNS full runs,
# each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 1_000_000
WARMUP = 100_000


async def ponger(n, ping, pong):
    for _ in range(n):
        x = await ping.get()
        await pong.put(x + 1)


async def pinger(n, ping, pong):
    x = 0
    for _ in range(n):
        await ping.put(x)
        x = await pong.get()
    return x


async def switch(n):
    """Returns the seconds n round trips took."""
    ping = asyncio.Queue()
    pong = asyncio.Queue()
    t0 = time.perf_counter()
    other = asyncio.create_task(ponger(n, ping, pong))
    x = await pinger(n, ping, pong)
    await other
    seconds = time.perf_counter() - t0
    assert x == n
    return seconds


def bench():
    if WARM:
        asyncio.run(switch(WARMUP))
    rates = [2 * N / asyncio.run(switch(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "switch", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

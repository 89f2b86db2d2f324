# Workload asyncgen, CPython asyncio twin of asyncgen.ts: 1,000,000 items from an async generator
# that yields without suspending (`async def count(n): for i in range(n): yield i`), consumed with
# `async for i in count(n): s += i` in one task. Rate = items per second, timed inside the task.
# With --warm (else one cold run, no warm-up): one 100,000-item run first; then WARM_RUNS full
# runs, each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 1_000_000
WARMUP = 100_000


async def count(n):
    for i in range(n):
        yield i


async def loop(n):
    """Returns the seconds the loop took."""
    t0 = time.perf_counter()
    s = 0
    async for i in count(n):
        s += i
    seconds = time.perf_counter() - t0
    assert s == n * (n - 1) // 2
    return seconds


def bench():
    if WARM:
        asyncio.run(loop(WARMUP))
    rates = [N / asyncio.run(loop(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "asyncgen", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

# Workload to-thread, CPython asyncio twin of to-thread.ts: 10,000 `asyncio.to_thread` round trips
# of a trivial function, one after the other, in one task. Rate = round trips per second.
# With --warm (else one cold run, no warm-up): one 1,000-trip run first; then WARM_RUNS full runs,
# each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 10_000
WARMUP = 1_000


def inc(x):
    return x + 1


async def trips(n):
    """Returns the seconds the round trips took."""
    await asyncio.to_thread(inc, 0)  # the worker thread is started before the clock does
    t0 = time.perf_counter()
    s = 0
    for i in range(n):
        s += await asyncio.to_thread(inc, i)
    seconds = time.perf_counter() - t0
    assert s == n * (n + 1) // 2
    return seconds


def bench():
    if WARM:
        asyncio.run(trips(WARMUP))
    rates = [N / asyncio.run(trips(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "to-thread", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

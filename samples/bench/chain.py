# Workload chain, CPython asyncio twin of chain.ts: 1,000,000 awaits of a sub-coroutine that
# never suspends (`s += await leaf()`), in one task. Rate = awaits per second, timed inside the
# task's own coroutine around the loop.
# With --warm (else one cold run, no warm-up): one 100,000-await run first; then WARM_RUNS full
# runs, each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 1_000_000
WARMUP = 100_000


async def leaf():
    return 1


async def chain(n):
    """Returns the seconds the loop took."""
    t0 = time.perf_counter()
    s = 0
    for _ in range(n):
        s += await leaf()
    seconds = time.perf_counter() - t0
    assert s == n
    return seconds


def bench():
    if WARM:
        asyncio.run(chain(WARMUP))
    rates = [N / asyncio.run(chain(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "chain", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

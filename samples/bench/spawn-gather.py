# Workload spawn-gather, CPython asyncio twin of spawn-gather.ts: 100,000 tasks, each awaits
# asyncio.sleep(0) once, all gathered. Rate = tasks per second, timed inside main from the
# first create_task to gather's return.
# With --warm (else one cold run, no warm-up): one 10,000-task run, then WARM_RUNS full runs, each
# in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 100_000
WARMUP = 10_000


async def worker():
    await asyncio.sleep(0)


async def spawn_gather(n):
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(worker()) for _ in range(n)]
    results = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - t0
    assert len(results) == n
    return seconds


def bench():
    if WARM:
        asyncio.run(spawn_gather(WARMUP))
    rates = [N / asyncio.run(spawn_gather(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "spawn-gather", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

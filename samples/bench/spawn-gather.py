# Workload spawn-gather, CPython asyncio twin of spawn-gather.ts: 100,000 tasks, each awaits
# asyncio.sleep(0) once, all gathered. Rate = tasks per second, timed inside main from the
# first create_task to gather's return. Warm-up: one 10,000-task run, then REPEATS full runs,
# each in a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import emit

N = 100_000
REPEATS = 5  # full-size runs; the best is reported (as timeit does: other processes only ever slow a run)
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
    asyncio.run(spawn_gather(WARMUP))
    rates = [N / asyncio.run(spawn_gather(N)) for _ in range(REPEATS)]
    emit({"impl": "cpython", "workload": "spawn-gather", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

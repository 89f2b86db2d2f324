# Workload sleep-many, CPython asyncio twin of sleep-many.ts: 100,000 tasks, task i awaits
# asyncio.sleep(delay[i]) with delays uniform in [0, 1) from the seeded 32-bit LCG (seed 42,
# bench_util.lcg: the same list as the TypeScript programs). All are gathered. Overhead = wall
# time (first create_task to gather's return) minus the largest delay, in seconds.
# With --warm (else one cold run, no warm-up): 1,000 tasks sleeping 0-10 ms first, then WARM_RUNS
# measured runs, best reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit, lcg

N = 100_000
SEED = 42


def delays(n, seed, scale):
    rnd = lcg(seed)
    return [rnd() * scale for _ in range(n)]


async def sleep_many(ds):
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(asyncio.sleep(d)) for d in ds]
    await asyncio.gather(*tasks)
    return time.perf_counter() - t0


def bench():
    if WARM:
        asyncio.run(sleep_many(delays(1000, 7, 0.01)))
    ds = delays(N, SEED, 1)
    max_delay = max(ds)
    walls = [asyncio.run(sleep_many(ds)) for _ in range(RUNS)]
    wall = min(walls)
    emit({"impl": "cpython", "workload": "sleep-many", "n": N, "wall": wall, "maxDelay": max_delay,
          "overhead": wall - max_delay, "walls": walls})


if __name__ == "__main__":
    bench()

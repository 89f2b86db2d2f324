# Workload memory, CPython asyncio twin of memory.ts: bytes per task suspended on a Future.
# Creates 100,000 tasks, each awaiting its own loop.create_future(), lets them all suspend,
# collects garbage and divides the growth of tracemalloc's traced memory by N; then resolves
# every future and gathers the tasks. The growth includes the two lists holding the futures and
# tasks, as in the TypeScript twins. Warm-up: one 1,000-task run first.
import asyncio
import gc
import tracemalloc

from bench_util import emit

N = 100_000


async def waiter(fut):
    return await fut


def collect():
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def bytes_per_task(n):
    loop = asyncio.get_running_loop()
    before = collect()
    futs = []
    tasks = []
    for _ in range(n):
        fut = loop.create_future()
        futs.append(fut)
        tasks.append(asyncio.create_task(waiter(fut)))
    await asyncio.sleep(0)  # the tasks were scheduled first: each has run and suspended by now
    after = collect()
    assert not any(t.done() for t in tasks)
    for fut in futs:
        fut.set_result(1)
    results = await asyncio.gather(*tasks)
    assert sum(results) == n
    return (after - before) / n


def bench():
    tracemalloc.start()
    asyncio.run(bytes_per_task(1000))
    b = asyncio.run(bytes_per_task(N))
    tracemalloc.stop()
    emit({"impl": "cpython", "workload": "memory", "n": N, "bytesPerTask": b})


if __name__ == "__main__":
    bench()

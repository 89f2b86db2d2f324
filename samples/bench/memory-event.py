# Workload memory-event, CPython asyncio twin of memory-event.ts: resident memory per task blocked
# on `await ev.wait()`. Creates 100,000 tasks on one asyncio.Event, lets them all suspend, collects
# garbage and divides the growth of the process's RSS (/proc/self/statm) by N; then sets the Event
# and gathers the tasks. The growth includes the list holding the tasks, as in the TypeScript
# twins. A 1,000-task run first, so code and caches exist (with or without --warm).
import asyncio
import gc
import os

from bench_util import emit

N = 100_000
PAGE = os.sysconf("SC_PAGE_SIZE")


async def waiter(ev):
    await ev.wait()


def collect():
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


async def bytes_per_task(n):
    ev = asyncio.Event()
    before = collect()
    tasks = [asyncio.create_task(waiter(ev)) for _ in range(n)]
    await asyncio.sleep(0)  # each task has run up to its wait()
    after = collect()
    assert len(ev._waiters) == n
    ev.set()
    await asyncio.gather(*tasks)
    return (after - before) / n


def bench():
    asyncio.run(bytes_per_task(1000))
    b = asyncio.run(bytes_per_task(N))
    emit({"impl": "cpython", "workload": "memory-event", "n": N, "bytesPerTask": b})


if __name__ == "__main__":
    bench()

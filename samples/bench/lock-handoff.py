# Workload lock-handoff, CPython asyncio twin of lock-handoff.ts: the main task holds an
# asyncio.Lock while 100,000 tasks queue on it (`async with lock`, count); then it releases, and
# the lock passes from each waiter to the next in turn. Seconds = from that release to the last
# waiter having held the lock.
# With --warm (else one cold run, no warm-up): one 10,000-task run first, then WARM_RUNS full
# runs, each in a fresh asyncio.run(); the fastest is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 100_000
WARMUP = 10_000

state = {"held": 0, "last": 0.0}


async def waiter(lock, n):
    async with lock:
        state["held"] += 1
        if state["held"] == n:
            state["last"] = time.perf_counter()


async def handoff(n):
    """Returns the seconds from the first release to the last waiter having held the lock."""
    lock = asyncio.Lock()
    state["held"] = 0
    await lock.acquire()
    tasks = [asyncio.create_task(waiter(lock, n)) for _ in range(n)]
    await asyncio.sleep(0)  # every waiter has queued
    t0 = time.perf_counter()
    lock.release()
    await asyncio.gather(*tasks)
    assert state["held"] == n
    return state["last"] - t0


def bench():
    if WARM:
        asyncio.run(handoff(WARMUP))
    times = [asyncio.run(handoff(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "lock-handoff", "n": N, "seconds": min(times), "times": times})


if __name__ == "__main__":
    bench()

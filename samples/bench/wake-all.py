# Workload wake-all, CPython asyncio twin of wake-all.ts: 100,000 tasks wait on one asyncio.Event;
# once all have suspended, set() wakes them. Seconds = from just before set() to the moment the
# last waiter has woken; the gather that follows is not timed.
# With --warm (else one cold run, no warm-up): one 10,000-task run first, then WARM_RUNS full
# runs, each in a fresh asyncio.run(); the fastest is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 100_000
WARMUP = 10_000

state = {"woke": 0, "last": 0.0}


async def waiter(ev, n):
    await ev.wait()
    state["woke"] += 1
    if state["woke"] == n:
        state["last"] = time.perf_counter()


async def wake_all(n):
    """Returns the seconds from set() to the last waiter woken."""
    ev = asyncio.Event()
    state["woke"] = 0
    tasks = [asyncio.create_task(waiter(ev, n)) for _ in range(n)]
    await asyncio.sleep(0)  # every waiter has run up to its wait()
    t0 = time.perf_counter()
    ev.set()
    await asyncio.gather(*tasks)
    assert state["woke"] == n
    return state["last"] - t0


def bench():
    if WARM:
        asyncio.run(wake_all(WARMUP))
    times = [asyncio.run(wake_all(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "wake-all", "n": N, "seconds": min(times), "times": times})


if __name__ == "__main__":
    bench()

# Workload subprocess-exec, CPython asyncio twin of subprocess-exec.ts: 200 children `true`, one after
# another, each started with create_subprocess_exec and waited for. Rate = children per second,
# timed inside main.
# With --warm (else one cold run, no warm-up): one 20-child run, then WARM_RUNS full runs, each in
# a fresh asyncio.run(); the best rate is reported.
import asyncio
import time

from bench_util import RUNS, WARM, emit

N = 200
WARMUP = 20


async def spawn_wait(n):
    t0 = time.perf_counter()
    for _ in range(n):
        proc = await asyncio.create_subprocess_exec('true')
        rc = await proc.wait()
        assert rc == 0, rc
    return time.perf_counter() - t0


def bench():
    if WARM:
        asyncio.run(spawn_wait(WARMUP))
    rates = [N / asyncio.run(spawn_wait(N)) for _ in range(RUNS)]
    emit({"impl": "cpython", "workload": "subprocess-exec", "n": N, "rate": max(rates), "rates": rates})


if __name__ == "__main__":
    bench()

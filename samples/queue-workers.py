# The docs' Queue example with its random.uniform(0.05, 1.0) timings replaced by a fixed list
# (shorter, and with every worker's finishing moment at least 90 ms from the others'), and the
# measured parallel time rounded to the nearest half second, so that every run prints the same
# lines even on a busy machine.
import asyncio
import time

# Fixed "random" timings: the whole run takes about 2.5 seconds.
SLEEP_TIMES = [0.22, 0.33, 0.42, 0.3, 0.28, 0.4, 0.19, 0.5, 0.5, 0.2,
               0.34, 0.36, 0.41, 0.38, 0.47, 0.21, 0.47, 0.28, 0.5, 0.21]


async def worker(name, queue):
    while True:
        # Get a "work item" out of the queue.
        sleep_for = await queue.get()

        # Sleep for the "sleep_for" seconds.
        await asyncio.sleep(sleep_for)

        # Notify the queue that the "work item" has been processed.
        queue.task_done()

        print(f'{name} has slept for {sleep_for:.2f} seconds')


async def main():
    # Create a queue that we will use to store our "workload".
    queue = asyncio.Queue()

    # Put the fixed timings into the queue.
    total_sleep_time = 0
    for sleep_for in SLEEP_TIMES:
        total_sleep_time += sleep_for
        queue.put_nowait(sleep_for)

    # Create three worker tasks to process the queue concurrently.
    tasks = []
    for i in range(3):
        task = asyncio.create_task(worker(f'worker-{i}', queue))
        tasks.append(task)

    # Wait until the queue is fully processed.
    started_at = time.monotonic()
    await queue.join()
    total_slept_for = time.monotonic() - started_at

    # Cancel our worker tasks.
    for task in tasks:
        task.cancel()
    # Wait until all worker tasks are cancelled.
    await asyncio.gather(*tasks, return_exceptions=True)

    print('====')
    print(f'3 workers slept in parallel for about {round(total_slept_for * 2) / 2:.1f} seconds')
    print(f'total expected sleep time: {total_sleep_time:.2f} seconds')


asyncio.run(main())

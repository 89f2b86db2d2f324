# The docs show only the pattern (lock = asyncio.Lock(); ... async with lock: # access shared
# state). This program fills it in: three tasks increment a shared counter with an await between
# reading and writing it; the lock makes each read-modify-write whole, and waiters get the lock
# in the order they asked for it.
import asyncio

counter = 0


async def increment(lock, name):
    global counter
    print(f'{name} wants the lock')
    async with lock:
        # access shared state
        value = counter
        print(f'{name} read {value}')
        await asyncio.sleep(0.2)  # something slow between the read and the write
        counter = value + 1
        print(f'{name} wrote {counter}')


async def main():
    lock = asyncio.Lock()

    # ... later
    await asyncio.gather(*(increment(lock, f'task-{i}') for i in range(3)))
    print(f'counter = {counter} (without the lock it would be 1)')


asyncio.run(main())

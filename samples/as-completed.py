# The docs' asyncio.as_completed() snippet (`for coro in as_completed(aws): earliest_result = await
# coro`) made into a program: three coroutines with fixed delays, passed slowest first, give their
# results fastest first.
import asyncio

async def fetch(name, delay):
    await asyncio.sleep(delay)
    return f'{name} ({delay:.1f} s)'

async def main():
    aws = [fetch('slow', 1.5), fetch('fast', 0.5), fetch('medium', 1.0)]
    for coro in asyncio.as_completed(aws):
        earliest_result = await coro
        print(earliest_result)

asyncio.run(main())

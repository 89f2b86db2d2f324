# PEP 525's example async generator, ticker(): yields 0..to-1, sleeping between items. Consumed with
# `async for`, with an async comprehension, and with aclosing() around an early break, so the
# generator's finally block runs at a known moment.
import asyncio
from contextlib import aclosing


async def ticker(delay, to):
    """Yield numbers from 0 to *to* every *delay* seconds."""
    try:
        for i in range(to):
            yield i
            await asyncio.sleep(delay)
    finally:
        print(f'ticker({delay}, {to}) finished')


async def main():
    async for i in ticker(0.5, 3):
        print('tick', i)
    print([i * 10 async for i in ticker(0.1, 4)])
    async with aclosing(ticker(0.2, 100)) as t:
        async for i in t:
            if i == 2:
                print('break at', i)
                break
    print('done')

asyncio.run(main())

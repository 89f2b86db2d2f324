# @asynccontextmanager: the code before the yield acquires a resource, the code after it releases
# it, and the release runs even when the body of `async with` fails. Two uses: one that succeeds,
# one whose body raises (the error is caught outside).
import asyncio
from contextlib import asynccontextmanager


@asynccontextmanager
async def opened(name):
    print(f'open {name}')
    await asyncio.sleep(0.3)
    try:
        yield name.upper()
    finally:
        await asyncio.sleep(0.3)
        print(f'close {name}')


async def main():
    async with opened('alpha') as handle:
        print(f'using {handle}')
        await asyncio.sleep(0.5)
    try:
        async with opened('beta') as handle:
            print(f'using {handle}')
            raise ValueError('bad data')
    except ValueError as e:
        print(f'caught {e!r}')

asyncio.run(main())

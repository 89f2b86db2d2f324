# The docs show only the pattern (sem = asyncio.Semaphore(10); ... async with sem: # work with
# shared resource). This program fills it in: five downloads, at most two at a time; each one
# that finishes lets the next waiting one start, first come, first served.
import asyncio


async def download(sem, name, seconds):
    print(f'{name} waiting')
    async with sem:
        # work with shared resource
        print(f'{name} started')
        await asyncio.sleep(seconds)
        print(f'{name} done after {seconds} s')


async def main():
    sem = asyncio.Semaphore(2)

    # ... later
    await asyncio.gather(
        download(sem, 'a', 0.5),
        download(sem, 'b', 0.3),
        download(sem, 'c', 0.6),
        download(sem, 'd', 0.2),
        download(sem, 'e', 0.1),
    )
    print('all downloads finished')


asyncio.run(main())

# The docs show only the pattern (cond = asyncio.Condition(); ... async with cond: await
# cond.wait()). This program fills it in: three consumers wait on a condition for items; the
# producer adds one item at a time and notifies one waiter, then says it is finished and
# notifies them all.
import asyncio


async def consumer(cond, name, items):
    while True:
        async with cond:
            while not items:
                await cond.wait()
            item = items.pop(0)
        if item is None:
            print(f'{name} sees the end')
            return
        print(f'{name} got {item}')


async def producer(cond, items):
    for i in range(1, 5):
        await asyncio.sleep(0.2)
        async with cond:
            items.append(f'item-{i}')
            cond.notify()
    await asyncio.sleep(0.2)
    async with cond:
        items.extend([None, None, None])  # one end marker per consumer
        cond.notify_all()


async def main():
    cond = asyncio.Condition()
    items = []
    await asyncio.gather(
        consumer(cond, 'consumer-1', items),
        consumer(cond, 'consumer-2', items),
        consumer(cond, 'consumer-3', items),
        producer(cond, items),
    )


asyncio.run(main())

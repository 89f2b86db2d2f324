# Built around the docs' asyncio.shield() snippets (`res = await shield(task)`, and the variant that
# catches CancelledError), which have no complete program: the task awaiting the shield is cancelled
# after 1 second, something() keeps running and finishes after 2.
import asyncio

async def something():
    print('something(): started')
    await asyncio.sleep(2)
    print('something(): finished')
    return 42

async def main():
    task = asyncio.create_task(something())

    async def waiter():
        try:
            res = await asyncio.shield(task)
        except asyncio.CancelledError:
            print('waiter: cancelled')
            raise
        return res

    w = asyncio.create_task(waiter())
    await asyncio.sleep(1)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print('main: the waiter was cancelled; something() is',
              'done' if task.done() else 'still running')

    res = await task
    print('main: something() returned', res)

asyncio.run(main())

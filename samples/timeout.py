# The docs' asyncio.timeout() example. The docs leave long_running_task() undefined; here it is a
# coroutine that would sleep for an hour, and the timeout is 1 second instead of 10 so the sample
# runs quickly.
import asyncio

async def long_running_task():
    await asyncio.sleep(3600)

async def main():
    try:
        async with asyncio.timeout(1):
            await long_running_task()
    except TimeoutError:
        print("The long operation timed out, but we've handled it.")

    print("This statement will run regardless.")

asyncio.run(main())

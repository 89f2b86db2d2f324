import asyncio

async def wait1():
    print('Hello ...!')
    await asyncio.sleep(1)
    print('...world!')

async def wait2():
    print('Hello ...?')
    await asyncio.sleep(1)
    print('...world?')

async def main():
    # Schedule wait1() and wait2() as tasks at the same time
    task1 = asyncio.create_task(wait1())
    task2 = asyncio.create_task(wait2())

    # Wait until both tasks are done
    await task1
    await task2

# Run the main() coroutine with asyncio.run()
asyncio.run(main())

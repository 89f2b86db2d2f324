import asyncio

async def hello():
    print("Hello...")
    await asyncio.sleep(1)
    print("...world!")

async def main():
    # Schedule the coroutine as a task
    task = asyncio.create_task(hello())

    # Wait for the task to finish
    await task

asyncio.run(main())

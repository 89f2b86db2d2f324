import asyncio


async def wait1():
    print('Hello ...!')
    await asyncio.sleep(1)
    print('...world!')


async def wait2():
    print('Hello ...?')
    await asyncio.sleep(1)
    print('...world?')


def main():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(wait1())
    loop.run_until_complete(wait2())


main()

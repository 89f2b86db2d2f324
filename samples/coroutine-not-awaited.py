import asyncio

async def hello():
    print('Hello ...')
    await asyncio.sleep(1)
    print('...world!')

def main():
    hello()

main()

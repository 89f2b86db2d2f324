# A Go program (two goroutines sum the halves of a slice and send the sums over a channel; main
# receives both), written as the asyncio program a Python user would write: a task per goroutine
# and an asyncio.Queue as the channel. From https://qiita.com/masayasviel/items/3b757dedeaa8ae5efe04
# (section フューチャーパターン). Go prints "-5 17 12" (its second goroutine usually finishes
# first); asyncio runs the tasks in the order they were created, so the first sum arrives first.
import asyncio


async def sum_(s, c):
    total = 0
    for v in s:
        total += v
    await c.put(total)  # send sum to c


async def main():
    s = [7, 2, 8, -9, 4, 0]

    c = asyncio.Queue()
    asyncio.create_task(sum_(s[:len(s) // 2], c))
    asyncio.create_task(sum_(s[len(s) // 2:], c))
    x, y = await c.get(), await c.get()  # receive from c

    print(x, y, x + y)

asyncio.run(main())

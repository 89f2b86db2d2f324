# The docs' gather() example (factorial), with return_exceptions=True and one task that fails,
# so the failure comes back in the list of results instead of being raised.
import asyncio

async def factorial(name, number):
    f = 1
    for i in range(2, number + 1):
        print(f"Task {name}: Compute factorial({number}), currently i={i}...")
        await asyncio.sleep(1)
        f *= i
    print(f"Task {name}: factorial({number}) = {f}")
    return f

async def fail_after(name, delay):
    await asyncio.sleep(delay)
    print(f"Task {name}: giving up")
    raise ValueError(f"task {name} failed after {delay} s")

async def main():
    # Schedule three calls *concurrently*; errors are returned, not raised:
    L = await asyncio.gather(
        factorial("A", 2),
        fail_after("B", 1.5),
        factorial("C", 4),
        return_exceptions=True,
    )
    for name, result in zip("ABC", L):
        if isinstance(result, Exception):
            print(f"{name}: failed with {result!r}")
        else:
            print(f"{name}: returned {result}")

asyncio.run(main())

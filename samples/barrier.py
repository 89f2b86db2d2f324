# The docs' Barrier example, printing only the bracketed state of the barrier's repr (the object's
# address would differ on every run).
import asyncio


def state(obj):
    r = repr(obj)
    return r[r.index('['):]


async def example_barrier():
    # barrier with 3 parties
    b = asyncio.Barrier(3)

    # create 2 new waiting tasks
    asyncio.create_task(b.wait())
    asyncio.create_task(b.wait())

    await asyncio.sleep(0)
    print(state(b))

    # The third .wait() call passes the barrier
    await b.wait()
    print(state(b))
    print("barrier passed")

    await asyncio.sleep(0)
    print(state(b))

asyncio.run(example_barrier())

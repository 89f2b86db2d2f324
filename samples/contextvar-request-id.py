# A request ID in a ContextVar, after the contextvars docs' "asyncio support" example, without
# sockets: three concurrent "requests" each set the ID once and log through a helper that reads
# it, even from a coroutine they await. The delays are fixed, so the output is deterministic.
import asyncio
import contextvars

request_id = contextvars.ContextVar('request_id', default='-')

def log(message):
    print(f"[request {request_id.get()}] {message}")

async def query_database(query):
    log(f"querying {query!r}")
    await asyncio.sleep(0.2)
    log("query done")
    return len(query)

async def handle_request(rid, path, delay):
    request_id.set(rid)
    await asyncio.sleep(delay)
    log(f"handling {path}")
    size = await query_database(f"SELECT * FROM {path.strip('/')}")
    log(f"responding with {size} bytes")

async def main():
    log("server starting")
    async with asyncio.TaskGroup() as tg:
        tg.create_task(handle_request(1, "/users", 0.1))
        tg.create_task(handle_request(2, "/orders", 0.25))
        tg.create_task(handle_request(3, "/items", 0.5))
    # Each request set the ID in its own task's context: none of them leaked here.
    log("all requests done")

asyncio.run(main())

# A server that shuts down cleanly on Ctrl-C: asyncio.run() cancels the main task, so
# serve_forever() ends, `async with server` closes the server and the finally block runs; then
# asyncio.run() raises KeyboardInterrupt. To end by itself, it sends itself SIGINT after 0.5 s.
import asyncio
import os
import signal


async def handle(reader, writer):
    writer.close()


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    print('serving; Ctrl-C in 0.5 s')
    asyncio.get_running_loop().call_later(0.5, os.kill, os.getpid(), signal.SIGINT)
    try:
        async with server:
            await server.serve_forever()
    except asyncio.CancelledError:
        print('main task cancelled')
        raise
    finally:
        print('finally: still serving:', server.is_serving())


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print('KeyboardInterrupt: bye')

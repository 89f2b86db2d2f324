# A server that stops cleanly on SIGTERM, as a service manager asks it to (the pattern of the docs'
# "Set signal handlers for SIGINT and SIGTERM" example, library/asyncio-eventloop.html, applied to
# a server). To end by itself, it sends itself SIGTERM after 0.5 s.
import asyncio
import os
import signal


async def handle(reader, writer):
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_signal(name):
        print(f'received {name}: stopping the server')
        stop.set()

    loop.add_signal_handler(signal.SIGTERM, on_signal, 'SIGTERM')

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    print('serving; sending myself SIGTERM in 0.5 s')
    loop.call_later(0.5, os.kill, os.getpid(), signal.SIGTERM)
    async with server:
        await stop.wait()
    print('server closed, still serving:', server.is_serving())
    print('handler removed:', loop.remove_signal_handler(signal.SIGTERM))


asyncio.run(main())
print('done')

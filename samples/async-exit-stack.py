# AsyncExitStack opening several connections whose number is known only at run time: a local echo
# server, three clients entered on one stack, each connection closed (in reverse order) when the
# `async with` block ends.
import asyncio
from contextlib import AsyncExitStack, asynccontextmanager


async def echo(reader, writer):
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


@asynccontextmanager
async def connection(port, name):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    print(f'{name}: connected')
    try:
        yield reader, writer
    finally:
        writer.close()
        await writer.wait_closed()
        print(f'{name}: closed')


async def main():
    server = await asyncio.start_server(echo, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        async with AsyncExitStack() as stack:
            conns = []
            for name in ['a', 'b', 'c']:
                conns.append((name, await stack.enter_async_context(connection(port, name))))
            stack.push_async_callback(asyncio.sleep, 0.2)
            for name, (reader, writer) in conns:
                writer.write(f'hello from {name}\n'.encode())
                await writer.drain()
                print((await reader.readline()).decode().strip())
            print('leaving the stack')
    print('all closed')

asyncio.run(main())

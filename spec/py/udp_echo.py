# UDP echo for the interop spec (spec/io/udp-interop.spec.ts), CPython asyncio on both sides.
#   udp_echo.py server [N]       listens on 127.0.0.1 port 0, prints the port, echoes N datagrams
#                                (default 3), prints each as "server got <text> from <host>", exits
#   udp_echo.py client PORT M..  sends each M to 127.0.0.1:PORT from a connected endpoint, prints
#                                each echo as "client got <text>", then closes
import asyncio
import sys


class Server(asyncio.DatagramProtocol):
    def __init__(self, n, done):
        self.n = n
        self.done = done

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        print(f'server got {data.decode()} from {addr[0]}')
        self.transport.sendto(data, addr)
        self.n -= 1
        if self.n == 0:
            self.done.set_result(None)


class Client(asyncio.DatagramProtocol):
    def __init__(self, queue):
        self.queue = queue

    def datagram_received(self, data, addr):
        self.queue.put_nowait(data)

    def error_received(self, exc):
        print('client error', exc)


async def main():
    loop = asyncio.get_running_loop()
    if sys.argv[1] == 'server':
        done = loop.create_future()
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
        transport, _ = await loop.create_datagram_endpoint(lambda: Server(n, done), local_addr=('127.0.0.1', 0))
        print(transport.get_extra_info('sockname')[1], flush=True)
        await done
        await asyncio.sleep(0.05)
        transport.close()
    else:
        queue = asyncio.Queue()
        transport, _ = await loop.create_datagram_endpoint(lambda: Client(queue), remote_addr=('127.0.0.1', int(sys.argv[2])))
        for text in sys.argv[3:]:
            transport.sendto(text.encode())
            data = await asyncio.wait_for(queue.get(), 5)
            print(f'client got {data.decode()}')
        transport.close()


asyncio.run(main())

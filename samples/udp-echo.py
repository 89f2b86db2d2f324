# The docs' "UDP Echo Server" and "UDP Echo Client" (library/asyncio-protocol.html, Examples) in one
# program, so it runs by itself: the server endpoint listens on 127.0.0.1 port 0 (a free port,
# instead of the docs' 9999), the client endpoint sends "Hello World!" to it, prints the echo and
# closes. Addresses are printed without their (changing) port.
import asyncio


class EchoServerProtocol(asyncio.DatagramProtocol):  # the docs: a plain class; closing it needs connection_lost
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        message = data.decode()
        print('Received %r from %s' % (message, addr[0]))
        print('Send %r to %s' % (message, addr[0]))
        self.transport.sendto(data, addr)


class EchoClientProtocol:
    def __init__(self, message, on_con_lost):
        self.message = message
        self.on_con_lost = on_con_lost
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        print('Send:', self.message)
        self.transport.sendto(self.message.encode())

    def datagram_received(self, data, addr):
        print("Received:", data.decode())

        print("Close the socket")
        self.transport.close()

    def error_received(self, exc):
        print('Error received:', exc)

    def connection_lost(self, exc):
        print("Connection closed")
        self.on_con_lost.set_result(True)


async def main():
    print("Starting UDP server")

    # Get a reference to the event loop as we plan to use
    # low-level APIs.
    loop = asyncio.get_running_loop()

    # One protocol instance will be created to serve all
    # client requests.
    server, _ = await loop.create_datagram_endpoint(
        EchoServerProtocol,
        local_addr=('127.0.0.1', 0))
    host, port = server.get_extra_info('sockname')

    on_con_lost = loop.create_future()
    message = "Hello World!"

    transport, protocol = await loop.create_datagram_endpoint(
        lambda: EchoClientProtocol(message, on_con_lost),
        remote_addr=(host, port))

    try:
        await on_con_lost
    finally:
        transport.close()
        server.close()


asyncio.run(main())

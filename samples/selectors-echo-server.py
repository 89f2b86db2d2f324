# The selectors module's echo server example (docs, library/selectors.html, "Examples"), with
# three changes so that two runs print the same lines: it listens on 127.0.0.1 and the port given
# as argv[1] (default 1234, as in the docs; 0 picks a free port) and prints it; it prints the
# peer's address instead of the socket's repr (which shows descriptor numbers); and it stops after
# one client has closed instead of looping forever.
import selectors
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 1234

sel = selectors.DefaultSelector()
serving = True


def accept(sock, mask):
    conn, addr = sock.accept()  # Should be ready
    print('accepted connection from', addr)
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ, read)


def read(conn, mask):
    global serving
    data = conn.recv(1000)  # Should be ready
    if data:
        print('echoing', repr(data), 'to', conn.getpeername())
        conn.send(data)  # Hope it won't block
    else:
        print('closing', conn.getpeername())
        sel.unregister(conn)
        conn.close()
        serving = False


sock = socket.socket()
sock.bind(('127.0.0.1', PORT))
sock.listen(100)
sock.setblocking(False)
sel.register(sock, selectors.EVENT_READ, accept)
print('Serving on', sock.getsockname())

while True:
    events = sel.select()
    for key, mask in events:
        callback = key.data
        callback(key.fileobj, mask)
    if not serving:
        break  # one exchange

sel.close()
sock.close()

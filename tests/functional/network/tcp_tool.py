"""A tiny TCP server and client for the dataplane test, run inside namespaces with
``ip netns exec``: the server answers each connection with the address it came from,
so a client learns whether (and how) it got through.

    python3 tcp_tool.py serve PORT [PORT...]
    python3 tcp_tool.py connect HOST PORT TIMEOUT   (prints the answer; exit 1 if none)
"""
import selectors
import socket
import sys


def serve(ports: list[int]) -> None:
    selector = selectors.DefaultSelector()
    for port in ports:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("0.0.0.0", port))
        listener.listen(16)
        selector.register(listener, selectors.EVENT_READ)
    print("listening", flush=True)
    while True:
        for key, _events in selector.select():
            connection, (address, _port) = key.fileobj.accept()
            with connection:
                connection.sendall(f"{address}\n".encode())


def connect(host: str, port: int, timeout: float) -> int:
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.settimeout(timeout)
            print(connection.makefile().readline().strip())
            return 0
    except OSError as error:
        print(f"failed: {error}")
        return 1


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve([int(port) for port in sys.argv[2:]])
    else:
        sys.exit(connect(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))

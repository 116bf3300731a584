"""The built-in authoritative DNS server: UDP and TCP on one address and port.

It serves what its ZoneStore holds (answer.respond decides what to say), forwards
queries under forward zones to their resolvers, and allows AXFR over TCP to clients in
the transfer ACL. One thread per TCP connection or UDP datagram (socketserver).
"""
import ipaddress
import socket
import socketserver
import struct
import threading
from typing import cast

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
from oslo_log import log as logging

from services.dns.backends.builtin import answer
from services.dns.backends.builtin.zonestore import ZoneStore

LOG = logging.getLogger(__name__)

TCP_IDLE_SECONDS = 10.0
UDP_DEFAULT_PAYLOAD = 512


class DNSServer:
    def __init__(self, store: ZoneStore, address: str, port: int, transfer_acl: list[str],
                 forward_timeout: float) -> None:
        self.store = store
        self.address = address
        self.requested_port = port
        self.transfer_acl = [ipaddress.ip_network(net, strict=False) for net in transfer_acl]
        self.forward_timeout = forward_timeout
        self._servers: list[_UDPServer | _TCPServer] = []
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        """The port served (the one the OS picked when asked for port 0)."""
        return cast(tuple[str, int], self._servers[0].server_address)[1]

    def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        tcp = _server(_TCPServer, family, (self.address, self.requested_port), self)
        udp = _server(_UDPServer, family, (self.address, tcp.server_address[1]), self)
        self._servers = [tcp, udp]
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5},
                                      name=f"dns-{type(server).__name__}", daemon=True)
            thread.start()
            self._threads.append(thread)
        LOG.info("built-in DNS server listening on %s port %s (UDP and TCP)", self.address,
                 self.port)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def handle(self, wire: bytes, client: str, tcp: bool) -> list[bytes]:
        """The wire responses to one wire query (nothing for garbage)."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return []
        try:
            messages = answer.respond(self.store.catalog(), query, tcp,
                                      self._may_transfer(client), self._forward)
        except Exception:
            LOG.exception("failed to answer %s", query.question)
            messages = [dns.message.make_response(query)]
            messages[0].set_rcode(dns.rcode.SERVFAIL)
        max_size = 65535 if tcp else max(query.payload if query.edns >= 0 else 0,
                                         UDP_DEFAULT_PAYLOAD)
        return [message.to_wire(max_size=max_size, prefer_truncation=True)
                for message in messages]

    def _may_transfer(self, client: str) -> bool:
        address = ipaddress.ip_address(client)
        return any(address in network for network in self.transfer_acl)

    def _forward(self, query: dns.message.Message,
                 servers: list[answer.Server]) -> dns.message.Message:
        """Relay ``query`` to the first resolver that answers; SERVFAIL if none does."""
        for host, port in servers:
            try:
                response = dns.query.udp(query, host, port=port, timeout=self.forward_timeout)
                if response.flags & dns.flags.TC:
                    response = dns.query.tcp(query, host, port=port,
                                             timeout=self.forward_timeout)
                return response
            except (dns.exception.DNSException, OSError) as error:
                LOG.warning("resolver %s:%s failed for %s: %s", host, port,
                            query.question[0].name, error)
        failure = dns.message.make_response(query)
        failure.set_rcode(dns.rcode.SERVFAIL)
        return failure


def _server(cls: "type[_UDPServer] | type[_TCPServer]", family: int,
            address: tuple[str, int], dns_server: DNSServer) -> "_UDPServer | _TCPServer":
    server_class = type(cls.__name__, (cls,), {"address_family": family})
    server = server_class(address, cls.handler)
    server.dns_server = dns_server
    return server


def _recv_exactly(sock: socket.socket, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class _UDPHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        wire, sock = self.request
        dns_server = cast(_ServesDNS, self.server).dns_server
        for response in dns_server.handle(wire, self.client_address[0], tcp=False):
            sock.sendto(response, self.client_address)


class _TCPHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock = self.request
        sock.settimeout(TCP_IDLE_SECONDS)
        try:
            while True:
                header = _recv_exactly(sock, 2)
                wire = header and _recv_exactly(sock, struct.unpack("!H", header)[0])
                if not wire:
                    return
                dns_server = cast(_ServesDNS, self.server).dns_server
                for response in dns_server.handle(wire, self.client_address[0], tcp=True):
                    sock.sendall(struct.pack("!H", len(response)) + response)
        except OSError:
            return  # idle timeout or the client went away


class _ServesDNS:
    """What the handlers need of their socketserver: the DNSServer that answers."""

    dns_server: DNSServer
    handler: type[socketserver.BaseRequestHandler]


class _UDPServer(_ServesDNS, socketserver.ThreadingUDPServer):
    daemon_threads = True
    handler = _UDPHandler


class _TCPServer(_ServesDNS, socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    handler = _TCPHandler

"""Zone snapshots as the conductor hands them out, and a DNS client for the tests."""
import socket
import threading

import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset

from common.dns import validation as dns_validation

NS = "ns1.strato.test."
# Records of the API 2.2 and 2.4 types as designate-tempest-plugin submits them.
SERVICE_RECORDS = {
    ("example.org.", "SVCB"): ["1 sample.example.org. alpn=h3,h2,http/1.1 "
                               "ipv4hint=1.2.3.4,9.8.7.6 port=888 dohpath=/dns-query{?dns}"],
    ("sample.example.org.", "HTTPS"): ["1 sample.example.org. alpn=http/1.1 "
                                       "no-default-alpn port=8000",
                                       "2 . alpn=h2 mandatory=alpn ipv6hint=2001:db8::1"],
    ("_443._tcp.example.org.", "TLSA"): [f"3 1 1 (\n  {'ab' * 16}\n  {'ab' * 16}\n )"],
    ("_445._tcp.example.org.", "TLSA"): ["3 1 0 AA BB CC DD", "255 255 255 aabbccdd"],
}


def snapshot(name: str = "example.org.", serial: int = 1, records: dict | None = None,
             zone_type: str = "PRIMARY", masters: list[str] | None = None,
             zone_id: str | None = None, status: str = "PENDING",
             action: str = "CREATE") -> dict:
    """A zone snapshot; ``records`` maps (name, type) to record texts (ttl 300)."""
    recordsets = []
    if zone_type == "PRIMARY":
        recordsets = [
            {"name": name, "type": "SOA", "ttl": 300,
             "records": [f"{NS} hostmaster.{name} {serial} 3600 600 86400 60"]},
            {"name": name, "type": "NS", "ttl": 300, "records": [NS]},
        ]
    for (owner, rtype), texts in (records or {}).items():
        recordsets.append({"name": owner, "type": rtype, "ttl": 300, "records": list(texts)})
    return {"id": zone_id or f"id-{name}", "name": name, "type": zone_type, "serial": serial,
            "ttl": 300, "masters": masters or [], "action": action, "status": status,
            "recordsets": recordsets}


def served(records: dict) -> dict:
    """``records`` as the conductor hands them to the agent: canonical master-file text
    (common.db.api.dns_sync)."""
    return {(name, rtype): [dns_validation.canonical_rdata(rtype, text) for text in texts]
            for (name, rtype), texts in records.items()}


def ask(port: int, name: str, rdtype: str = "A", tcp: bool = False,
        use_edns: bool = False) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype, use_edns=0 if use_edns else None)
    send = dns.query.tcp if tcp else dns.query.udp
    return send(query, "127.0.0.1", port=port, timeout=2)


def answers(response: dns.message.Message) -> list[str]:
    """The answer section as sorted "name TYPE data" strings, names in lower case (they
    keep the case of the question, which DNS ignores)."""
    return sorted(f"{str(rrset.name).lower()} {dns.rdatatype.to_text(rrset.rdtype)} "
                  f"{rdata.to_text().lower()}" for rrset in response.answer for rdata in rrset)


class TinyResolver:
    """A stand-in for another DNS server (a cluster DNS): answers every A query under
    ``domain`` with ``address``, anything else with NXDOMAIN. UDP only."""

    def __init__(self, domain: str, address: str) -> None:
        self.domain = dns.name.from_text(domain)
        self.address = address
        self.queries: list[str] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, client = self.sock.recvfrom(65535)
            except TimeoutError:
                continue
            query = dns.message.from_wire(wire)
            question = query.question[0]
            self.queries.append(str(question.name))
            response = dns.message.make_response(query)
            if question.name.is_subdomain(self.domain) and question.rdtype == dns.rdatatype.A:
                response.answer.append(dns.rrset.from_text(question.name, 30, "IN", "A",
                                                           self.address))
            else:
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(response.to_wire(), client)

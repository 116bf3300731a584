"""The dns tests' helpers: zone snapshots as the conductor hands them out, a DNS
client, a fake conductor and backend for the agent, and networking rows as the
network API would write them."""
import socket
import threading
import uuid

import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset
import sqlalchemy as sa

from common.db import models, session
from common.dns import validation as dns_validation
from services.dns.backends.base import Backend

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


class FakeConductor:
    def __init__(self, zones: list[dict] | None = None,
                 networks: list[dict] | None = None) -> None:
        self.zones = zones or []
        self.networks = networks or []
        self.synced: list[dict] = []
        self.purged: list[str] = []
        self.managed: list[tuple[str, str]] = []
        self.changed_zones: list[str] = []

    def get_zones(self, ctxt, zone_ids=None):
        return [z for z in self.zones if zone_ids is None or z["id"] in zone_ids]

    def zones_synced(self, ctxt, results):
        self.synced.extend(results)

    def purge_zone(self, ctxt, zone_id):
        self.purged.append(zone_id)

    def get_networks(self, ctxt, network_ids=None):
        return [n for n in self.networks if network_ids is None or n["id"] in network_ids]

    def sync_managed(self, ctxt, resource_type, resource_id):
        self.managed.append((resource_type, resource_id))
        return self.changed_zones

    def sync_all_managed(self, ctxt):
        self.managed.append(("all", ""))
        return self.changed_zones


class FakeBackend(Backend):
    holds_zones = True
    holds_networks = True

    def __init__(self, name: str = "fake", fail: bool = False, serial: int | None = None):
        self.name = name
        self.fail = fail
        self.serial = serial
        self.zones: dict[str, dict] = {}
        self.networks: dict[str, dict] = {}

    def zone_names(self):
        return set(self.zones)

    def apply_zone(self, zone):
        if self.fail:
            raise RuntimeError("backend down")
        self.zones[zone["name"]] = zone
        return self.serial if zone["type"] == "SECONDARY" else zone["serial"]

    def remove_zone(self, name):
        if self.fail:
            raise RuntimeError("backend down")
        self.zones.pop(name, None)

    def network_ids(self):
        return set(self.networks)

    def apply_network(self, network):
        self.networks[network["id"]] = network

    def remove_network(self, network_id):
        self.networks.pop(network_id, None)


class NetworkRowsMixin:
    """Rows of the networking tables, as the network API would write them."""

    def network(self, dns_domain: str = "", external: bool = False) -> str:
        network_id = str(uuid.uuid4())
        with session.transaction() as s:
            s.add(models.Network(id=network_id, project_id="p1", network_type="geneve",
                                 segment_key=network_id, mtu=1442, dns_domain=dns_domain,
                                 external=external))
            s.add(models.Subnet(id=network_id[:30] + "subnet", network_id=network_id,
                                project_id="p1", ip_version=4, cidr="10.0.1.0/24"))
        return network_id

    def port(self, network_id: str, dns_name: str, *addresses: str) -> str:
        port_id = str(uuid.uuid4())
        with session.transaction() as s:
            s.add(models.Port(id=port_id, project_id="p1", network_id=network_id,
                              mac_address="fa:16:3e:" + port_id[:2] + ":00:01",
                              dns_name=dns_name,
                              fixed_ips=[models.IPAllocation(subnet_id=network_id[:30] + "subnet",
                                                             ip_address=address)
                                         for address in addresses]))
        return port_id

    def update_port(self, port_id: str, **values: object) -> None:
        with session.transaction() as s:
            s.execute(sa.update(models.Port).filter_by(id=port_id).values(**values))

    def delete_port(self, port_id: str) -> None:
        with session.transaction() as s:
            s.execute(sa.delete(models.Port).filter_by(id=port_id))

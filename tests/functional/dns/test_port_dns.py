"""DNS of ports end to end, through the REST APIs only, over real processes on a
private vhost: strato-api, conductor, network agent and dns agent (built-in server and
OVN backends), OVN central and a chassis on the userspace datapath.

- A port with a ``dns_name`` on a network with a ``dns_domain`` gets ``dns_assignment``;
  its A record and its PTR (in the reverse zone, when one exists) are served by the
  built-in server within seconds, driven by the network API's notifications alone (the
  dns agent's periodic reconcile is far away); renaming the port moves them, deleting
  the port removes them.
- Dataplane: a namespace plugged as that port asks its gateway, or an address beyond it,
  for the port's name and for an admin-declared internal name; OVN answers from the DNS
  row the dns agent bound to the network's Logical_Switch.
"""
import subprocess
import sys

import dns.rcode
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from tests import backends
from tests.functional import fixtures
from tests.functional.fixtures import ovn
from tests.functional.network.test_reconcile import network_config
from tests.unit.base.dns import answers, ask

PASSWORD = "functional-secret"
# Far away: only the notifications of the network API can explain records within seconds.
RECONCILE_INTERVAL = 600
SERVED_WITHIN = 5.0
DOMAIN = "example.org."
CIDR, GATEWAY = "10.0.1.0/24", "10.0.1.1"
REVERSE_ZONE = "1.0.10.in-addr.arpa."
# Beyond the gateway (TEST-NET-1): the query still never leaves OVN, which answers it.
FAR_ADDRESS = "192.0.2.53"
INTERNAL_NAME, INTERNAL_ADDRESS = "universe.local.", "10.0.9.9"

# Runs inside a guest namespace: the answer section of an A query sent to an address.
_GUEST_QUERY = (
    "import sys, dns.message, dns.query\n"
    "reply = dns.query.udp(dns.message.make_query(sys.argv[1], 'A'), sys.argv[2], timeout=2)\n"
    "print(' '.join(sorted(r.to_text() for rrset in reply.answer for r in rrset)))\n"
)


class PortDNSTest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        backends.require_root("network namespaces")
        ovn.require("ovn-northd", "ovn-controller", "ovs-vswitchd", "ethtool")
        super().setUpClass()
        deployment = cls.deployment
        cls.central = ovn.Central()
        cls.addClassCleanup(cls.central.cleanup)
        cls.central.start()
        cls.chassis = ovn.Chassis(cls.central)
        cls.addClassCleanup(cls.chassis.cleanup)
        cls.chassis.start()
        with open(deployment.config_file) as f:
            text = f.read()
        url = "http://127.0.0.1:" + text.split("bind_port = ", 1)[1].split("\n", 1)[0]
        cls.dns_port = int(text.split("listen_port = ", 1)[1].split("\n", 1)[0])
        with open(deployment.config_file, "a") as f:
            f.write(network_config(cls.central.nb_remote, RECONCILE_INTERVAL))
            f.write(f"\n[dns]\nbackends = builtin,ovn\nnameservers = ns1.strato.test.\n"
                    f"reconcile_interval = {RECONCILE_INTERVAL}\n")
        with open(deployment.db_config_file, "a") as f:
            f.write(f"[api]\npublic_url = {url}\n[identity]\nbcrypt_rounds = 4\n")
        deployment.manage("bootstrap", "--admin-password", PASSWORD)
        deployment.start("strato-conductor")
        deployment.ping("strato-conductor")
        for agent in ("strato-network", "strato-dns"):
            deployment.start(agent, without_database=True)
            deployment.ping(agent)
        deployment.start("strato-api")
        cls.session = ks_session.Session(auth=v3.Password(
            auth_url=f"{url}/identity/v3", username="admin", password=PASSWORD,
            project_name="admin", user_domain_id="default", project_domain_id="default"))
        with deployment.logs_on_failure():
            fixtures.wait_until(cls._authenticated, 60, "strato-api issues a token")
        cls.build_topology()

    @classmethod
    def build_topology(cls) -> None:
        """The zones, and network n1 with its dns_domain and a subnet."""
        for zone in (DOMAIN, REVERSE_ZONE):
            cls.call("dns", "POST", "/v2/zones", {"name": zone, "email": "admin@example.org"})
        cls.network = cls.call("network", "POST", "/v2.0/networks", {"network": {
            "name": "n1", "dns_domain": DOMAIN}})["network"]
        cls.subnet = cls.call("network", "POST", "/v2.0/subnets", {"subnet": {
            "network_id": cls.network["id"], "cidr": CIDR, "ip_version": 4,
            "gateway_ip": GATEWAY}})["subnet"]

    @classmethod
    def _authenticated(cls) -> bool:
        try:
            return bool(cls.session.get_token())
        except ks_exceptions.ClientException:  # not listening yet
            return False

    @classmethod
    def call(cls, service: str, method: str, path: str, body: dict | None = None) -> dict:
        """One request to ``service`` (found in the catalog); the JSON answer, if any."""
        resp = cls.session.request(path, method, json=body,
                                   endpoint_filter={"service_type": service})
        return resp.json() if resp.content else {}

    def create_port(self, name: str, **values: object) -> dict:
        port = self.call("network", "POST", "/v2.0/ports", {"port": {
            "network_id": self.network["id"], "name": name, **values}})["port"]
        self.addCleanup(self.delete_port, port["id"])
        return port

    def delete_port(self, port_id: str) -> None:
        self.session.delete(f"/v2.0/ports/{port_id}", raise_exc=False,
                            endpoint_filter={"service_type": "network"})

    def served(self, name: str, rdtype: str, expected: list[str]) -> None:
        with self.deployment.logs_on_failure():
            fixtures.wait_until(
                lambda: answers(ask(self.dns_port, name, rdtype)) == expected,
                SERVED_WITHIN, f"{name} {rdtype} answering {expected}", interval=0.1)

    def test_port_records_follow_the_port(self) -> None:
        port = self.create_port("p1", dns_name="web")
        address = port["fixed_ips"][0]["ip_address"]
        fqdn = f"web.{DOMAIN}"
        self.assertEqual([{"hostname": "web", "ip_address": address, "fqdn": fqdn}],
                         port["dns_assignment"])
        reverse = f"{address.rsplit('.', 1)[1]}.{REVERSE_ZONE}"
        self.served(fqdn, "A", [f"{fqdn} A {address}"])
        self.served(reverse, "PTR", [f"{reverse} PTR {fqdn}"])

        renamed = f"www.{DOMAIN}"
        port = self.call("network", "PUT", f"/v2.0/ports/{port['id']}",
                         {"port": {"dns_name": "www"}})["port"]
        self.assertEqual(renamed, port["dns_assignment"][0]["fqdn"])
        self.served(renamed, "A", [f"{renamed} A {address}"])
        self.served(reverse, "PTR", [f"{reverse} PTR {renamed}"])
        self.gone(fqdn, "A")

        self.delete_port(port["id"])
        self.gone(renamed, "A")
        self.gone(reverse, "PTR")

    def gone(self, name: str, rdtype: str) -> None:
        with self.deployment.logs_on_failure():
            fixtures.wait_until(
                lambda: ask(self.dns_port, name, rdtype).rcode() == dns.rcode.NXDOMAIN,
                SERVED_WITHIN, f"{name} {rdtype} gone (NXDOMAIN)", interval=0.1)

    def test_guest_resolves_through_ovn(self) -> None:
        router = self.call("network", "POST", "/v2.0/routers",
                           {"router": {"name": "r1"}})["router"]
        self.call("network", "PUT", f"/v2.0/routers/{router['id']}/add_router_interface",
                  {"subnet_id": self.subnet["id"]})
        self.call("dns", "POST", "/v2/strato/internal_names", {
            "name": INTERNAL_NAME, "addresses": [INTERNAL_ADDRESS]})
        port = self.create_port("guest", dns_name="web", device_id="guest",
                                device_owner="compute:nova",
                                **{"binding:host_id": self.chassis.name})
        address = port["fixed_ips"][0]["ip_address"]
        guest = self.plug(port)
        for server in (GATEWAY, FAR_ADDRESS):
            self.resolves(guest, f"web.{DOMAIN}", server, address)
            self.resolves(guest, INTERNAL_NAME, server, INTERNAL_ADDRESS)

    def plug(self, port: dict) -> str:
        """A namespace as the VM of ``port``, its address set by hand; once OVN has it up."""
        with self.deployment.logs_on_failure():
            fixtures.wait_until(lambda: port["id"] in self.central.nbctl(
                "--bare", "--columns=name", "list", "Logical_Switch_Port"), 30,
                "the guest's switch port")
        netns = self.chassis.add_vm("guest", port["id"], port["mac_address"])
        self.chassis.exec(netns, "ip", "addr", "add",
                          f"{port['fixed_ips'][0]['ip_address']}/24", "dev", "eth0")
        self.chassis.exec(netns, "ip", "route", "add", "default", "via", GATEWAY)
        self.central.nbctl("wait-until", "Logical_Switch_Port", port["id"], "up=true")
        return netns

    def resolves(self, netns: str, name: str, server: str, expected: str) -> None:
        with self.deployment.logs_on_failure():
            fixtures.wait_until(lambda: self.guest_query(netns, name, server) == expected,
                                30, f"guest asking {server} for {name}: {expected}",
                                interval=0.5)

    def guest_query(self, netns: str, name: str, server: str) -> str:
        try:
            return self.chassis.exec(netns, sys.executable, "-c", _GUEST_QUERY, name, server,
                                     timeout=10).strip()
        except (AssertionError, subprocess.TimeoutExpired):
            return ""  # no answer (yet)

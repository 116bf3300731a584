"""Two hypervisor hosts, made as devstack/add-host.sh makes them (fixtures/hypervisor.py):
both report as compute hosts, each is an OVN chassis with geneve on its own underlay
address, and two "guests" (namespaces bound to ports on one tenant network, one on
each host) reach each other through the tunnel.

Needs root, libvirtd, QEMU and OVN/OVS: skipped without them, failed under
STRATO_TEST_REQUIRE_BACKENDS.
"""
import re
import unittest

from tests.functional import fixtures
from tests.functional.fixtures import hypervisor

NET = "/network/v2.0"
V21 = "/compute/v2.1"
PING = re.compile(r"(\d+) packets transmitted, (\d+) packets received")


class TwoHostsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cluster = hypervisor.MultiHostCloud(2)
        cls.addClassCleanup(cls.cluster.cleanup)
        cls.cluster.start()
        cls.cloud = cls.cluster.cloud

    def request(self, method: str, path: str, body: dict | None = None,
                expected: int = 200) -> dict:
        status, answer = self.cloud.request(method, path, body)
        self.assertEqual(expected, status, answer)
        return answer

    def test_each_host_is_a_compute_service_and_a_hypervisor(self) -> None:
        names = {host.name for host in self.cluster.hosts}
        services = self.request("GET", f"{V21}/os-services?binary=nova-compute")["services"]
        self.assertEqual(names, {s["host"] for s in services if s["state"] == "up"})
        hypervisors = self.request("GET", f"{V21}/os-hypervisors/detail")["hypervisors"]
        self.assertEqual(names, {h["hypervisor_hostname"] for h in hypervisors})
        chassis = self.cluster.central.sbctl("--bare", "--columns=name,encaps", "list",
                                             "Chassis")
        for host in self.cluster.hosts:
            self.assertIn(host.name, chassis)
            encap = self.cluster.central.sbctl("--bare", "--columns=ip", "find", "Encap",
                                               f"chassis_name={host.name}")
            self.assertEqual(host.address, encap.strip())

    def test_guests_on_two_hosts_reach_each_other_through_the_tunnel(self) -> None:
        net = self.request("POST", f"{NET}/networks", {"network": {"name": "span"}},
                           201)["network"]
        self.request("POST", f"{NET}/subnets", {"subnet": {
            "network_id": net["id"], "cidr": "10.78.0.0/24", "ip_version": 4,
            "gateway_ip": None}}, 201)
        guests = []
        for n, host in enumerate(self.cluster.hosts):
            port = self.request("POST", f"{NET}/ports", {"port": {
                "network_id": net["id"], "binding:host_id": host.name,
                "port_security_enabled": False}}, 201)["port"]
            address = port["fixed_ips"][0]["ip_address"]
            guests.append((host, port, address,
                           host.add_vm(f"{n}{port['id'][:6]}", port["id"],
                                       port["mac_address"], f"{address}/24")))
        for host, port, _, _ in guests:
            self.wait_bound(port["id"], host.name)
        (host_a, _, _, netns_a), (_, _, address_b, _) = guests
        out = host_a.exec(netns_a, "busybox", "ping", "-c", "5", "-W", "2", address_b,
                          check=False)
        sent, received = map(int, PING.search(out).groups())
        # the first packet may go while the tunnel's neighbour entry is being learnt
        self.assertGreaterEqual(received, sent - 1, out)

    def wait_bound(self, port_id: str, host: str) -> None:
        fixtures.wait_until(lambda: self.cluster.chassis_of(port_id) == host, 30,
                            f"port {port_id} bound on {host}", interval=0.2)

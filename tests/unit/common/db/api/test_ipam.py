"""IPAM and MAC allocation: pools, gateway, requested addresses, exhaustion, release."""
import re

import netaddr

from common import exceptions
from common.db.api import ipam
from tests.network_requests import network_ports as ports
from tests.network_requests import network_subnets as subnets
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ALICE


class PoolsTest(network_helpers.NetworkTestCase):
    def test_default_pool_is_the_subnet_minus_network_broadcast_and_gateway(self) -> None:
        self.assertEqual([("10.0.0.2", "10.0.0.254")],
                         ipam.default_pools("10.0.0.0/24", "10.0.0.1"))
        self.assertEqual([("10.0.0.1", "10.0.0.99"), ("10.0.0.101", "10.0.0.254")],
                         ipam.default_pools("10.0.0.0/24", "10.0.0.100"))
        self.assertEqual([("10.0.0.1", "10.0.0.254")], ipam.default_pools("10.0.0.0/24", None))
        self.assertEqual([("fd00::2", "fd00::ffff:ffff:ffff:ffff")],
                         ipam.default_pools("fd00::/64", "fd00::1"))

    def test_pools_are_checked(self) -> None:
        with self.assertRaises(exceptions.InvalidInput):
            ipam.validate_pools("10.0.0.0/24", None, [("10.0.0.10", "10.0.1.10")])
        with self.assertRaises(exceptions.InvalidInput):
            ipam.validate_pools("10.0.0.0/24", None,
                                [("10.0.0.10", "10.0.0.20"), ("10.0.0.15", "10.0.0.30")])
        with self.assertRaises(exceptions.GatewayConflictWithAllocationPools):
            ipam.validate_pools("10.0.0.0/24", "10.0.0.15", [("10.0.0.10", "10.0.0.20")])

    def test_subnet_keeps_requested_pools(self) -> None:
        net = self.network()
        subnet = self.subnet(net, allocation_pools=[{"start": "10.0.0.100",
                                                     "end": "10.0.0.101"}])
        self.assertEqual([{"start": "10.0.0.100", "end": "10.0.0.101"}],
                         subnet["allocation_pools"])
        self.assertEqual("10.0.0.100", self.port(net)["fixed_ips"][0]["ip_address"])


class AllocationTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.net = self.network()
        self.sub = self.subnet(self.net, "10.0.0.0/29")  # pool .2 - .6, gateway .1

    def addresses(self, port: dict) -> list[str]:
        return [ip["ip_address"] for ip in port["fixed_ips"]]

    def test_lowest_free_pool_address_never_the_gateway(self) -> None:
        first = self.port(self.net)
        second = self.port(self.net)
        self.assertEqual(["10.0.0.2"], self.addresses(first))
        self.assertEqual(["10.0.0.3"], self.addresses(second))
        self.assertEqual(self.sub["id"], first["fixed_ips"][0]["subnet_id"])

    def test_requested_address_anywhere_in_the_subnet(self) -> None:
        port = self.port(self.net, fixed_ips=[{"ip_address": "10.0.0.5"}])
        self.assertEqual(["10.0.0.5"], self.addresses(port))
        port = self.port(self.net, fixed_ips=[{"subnet_id": self.sub["id"]}])
        self.assertEqual(["10.0.0.2"], self.addresses(port))

    def test_requested_address_taken_is_a_409(self) -> None:
        self.port(self.net, fixed_ips=[{"ip_address": "10.0.0.4"}])
        with self.assertRaises(exceptions.IpAddressAlreadyAllocated) as caught:
            self.port(self.net, fixed_ips=[{"ip_address": "10.0.0.4"}])
        self.assertEqual(409, caught.exception.code)

    def test_gateway_network_and_foreign_addresses_are_refused(self) -> None:
        with self.assertRaises(exceptions.IpAddressAlreadyAllocated):
            self.port(self.net, fixed_ips=[{"ip_address": "10.0.0.1"}])
        for address in ("10.0.0.0", "10.0.0.7", "10.0.1.5"):
            with self.assertRaises(exceptions.InvalidInput):
                self.port(self.net, fixed_ips=[{"ip_address": address}])
        with self.assertRaises(exceptions.InvalidInput):
            self.port(self.net, fixed_ips=[{"subnet_id": "no-such-subnet"}])

    def test_exhaustion_then_release(self) -> None:
        made = [self.port(self.net) for _ in range(5)]
        self.assertEqual([f"10.0.0.{i}" for i in range(2, 7)],
                         [self.addresses(p)[0] for p in made])
        with self.assertRaises(exceptions.IpAddressGenerationFailure) as caught:
            self.port(self.net)
        self.assertEqual(409, caught.exception.code)
        ports.delete_port(ALICE, made[2]["id"])
        self.assertEqual(["10.0.0.4"], self.addresses(self.port(self.net)))

    def test_update_replaces_addresses_and_frees_the_old(self) -> None:
        port = self.port(self.net)
        port = ports.update_port(ALICE, port["id"], {"fixed_ips": [{"ip_address": "10.0.0.6"}]})
        self.assertEqual(["10.0.0.6"], self.addresses(port))
        self.assertEqual(["10.0.0.2"], self.addresses(self.port(self.net)))

    def test_subnet_with_allocations_cannot_go(self) -> None:
        port = self.port(self.net)
        with self.assertRaises(exceptions.SubnetInUse):
            subnets.delete_subnet(ALICE, self.sub["id"])
        ports.delete_port(ALICE, port["id"])
        subnets.delete_subnet(ALICE, self.sub["id"])

    def test_ipv4_and_slaac_ipv6(self) -> None:
        v6 = self.subnet(self.net, "fd00:1::/64", ipv6_address_mode="slaac",
                         ipv6_ra_mode="slaac")
        port = self.port(self.net)
        eui64 = str(netaddr.EUI(port["mac_address"]).ipv6(netaddr.IPNetwork("fd00:1::/64").first))
        self.assertEqual({(self.sub["id"], "10.0.0.2"), (v6["id"], eui64)},
                         {(ip["subnet_id"], ip["ip_address"]) for ip in port["fixed_ips"]})


class MacTest(network_helpers.NetworkTestCase):
    def test_generated_macs_are_openstack_style_and_unique(self) -> None:
        net = self.network()
        macs = [self.port(net)["mac_address"] for _ in range(20)]
        self.assertEqual(20, len(set(macs)))
        for mac in macs:
            self.assertRegex(mac, re.compile(r"^fa:16:3e(:[0-9a-f]{2}){3}$"))

    def test_requested_mac_in_use_on_the_network_is_a_409(self) -> None:
        net, other = self.network(), self.network()
        self.port(net, mac_address="fa:16:3e:00:00:01")
        with self.assertRaises(exceptions.MacAddressInUse):
            self.port(net, mac_address="FA:16:3E:00:00:01")
        self.assertEqual("fa:16:3e:00:00:01",
                         self.port(other, mac_address="fa:16:3e:00:00:01")["mac_address"])

    def test_multicast_mac_is_refused(self) -> None:
        with self.assertRaises(exceptions.InvalidInput):
            self.port(self.network(), mac_address="01:00:5e:00:00:01")

"""Networks and subnets: defaults, provider segments, visibility, validation, lists,
tags and quotas of the networking domain functions."""
from common import exceptions
from common.db.api import network_quotas as quotas
from common.db.api import network_tags as tags
from tests.network_requests import network as networks
from tests.network_requests import network_subnets as subnets
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ADMIN, ALICE, BOB


class NetworkTest(network_helpers.NetworkTestCase):
    def test_defaults_are_neutrons(self) -> None:
        net = self.network()
        self.assertEqual("ACTIVE", net["status"])
        self.assertEqual(("geneve", None, 1442), (net["provider:network_type"],
                                                  net["provider:physical_network"],
                                                  net["mtu"]))
        self.assertEqual((False, False, True, 1), (net["shared"], net["router:external"],
                                                   net["port_security_enabled"],
                                                   net["revision_number"]))
        self.assertEqual(("alice", "alice"), (net["project_id"], net["tenant_id"]))
        self.assertNotEqual(net["provider:segmentation_id"],
                            self.network()["provider:segmentation_id"])

    def test_provider_segments_are_unique_and_checked(self) -> None:
        body = {"provider:network_type": "flat", "provider:physical_network": "physnet1"}
        flat = self.network(ADMIN, **body)
        self.assertEqual(1500, flat["mtu"])
        with self.assertRaises(exceptions.Conflict):
            self.network(ADMIN, **body)
        vlan = {"provider:network_type": "vlan", "provider:physical_network": "physnet1"}
        self.assertEqual(7, self.network(ADMIN, **vlan, **{"provider:segmentation_id": 7})[
            "provider:segmentation_id"])
        for bad in ({**vlan, "provider:segmentation_id": 5000},
                    {"provider:network_type": "flat"}, {"provider:network_type": "gre"}):
            with self.assertRaises(exceptions.InvalidInput):
                self.network(ADMIN, **bad)

    def test_members_cannot_set_admin_attributes(self) -> None:
        for body in ({"shared": True}, {"router:external": True},
                     {"provider:network_type": "geneve"}):
            with self.assertRaises(exceptions.Forbidden):
                self.network(ALICE, **body)

    def test_unknown_and_read_only_attributes_are_a_400(self) -> None:
        with self.assertRaises(exceptions.InvalidInput) as caught:
            self.network(ALICE, color="blue")
        self.assertEqual(400, caught.exception.code)
        net = self.network()
        with self.assertRaises(exceptions.InvalidInput):
            networks.update_network(ALICE, net["id"], {"provider:network_type": "vlan"})

    def test_visibility_own_shared_and_external(self) -> None:
        private = self.network(ALICE)
        shared = self.network(ADMIN, shared=True)
        with self.assertRaises(exceptions.NetworkNotFound):
            networks.get_network(BOB, private["id"])
        self.assertEqual(shared["id"], networks.get_network(BOB, shared["id"])["id"])
        self.assertEqual([shared["id"]], [n["id"] for n in networks.list_networks(BOB)])
        with self.assertRaises(exceptions.Forbidden):
            networks.update_network(BOB, shared["id"], {"name": "mine"})

    def test_update_bumps_the_revision(self) -> None:
        net = self.network()
        updated = networks.update_network(ALICE, net["id"], {"name": "renamed", "mtu": 1400})
        self.assertEqual(("renamed", 1400, 2), (updated["name"], updated["mtu"],
                                                updated["revision_number"]))
        with self.assertRaises(exceptions.InvalidInput):
            networks.update_network(ALICE, net["id"], {"mtu": 9000})

    def test_delete_refuses_ports_and_takes_subnets(self) -> None:
        net = self.network()
        subnet = self.subnet(net)
        port = self.port(net)
        with self.assertRaises(exceptions.NetworkInUse):
            networks.delete_network(ALICE, net["id"])
        network_helpers.ports.delete_port(ALICE, port["id"])
        networks.delete_network(ALICE, net["id"])
        with self.assertRaises(exceptions.SubnetNotFound):
            subnets.get_subnet(ALICE, subnet["id"])

    def test_bulk_create_is_all_or_nothing(self) -> None:
        with self.assertRaises(exceptions.InvalidInput):
            networks.create_networks(ALICE, [{"name": "a"}, {"name": "b", "bad": 1}])
        self.assertEqual([], networks.list_networks(ALICE))
        self.assertEqual(2, len(networks.create_networks(ALICE, [{"name": "a"},
                                                                 {"name": "b"}])))


class SubnetTest(network_helpers.NetworkTestCase):
    def test_defaults(self) -> None:
        subnet = self.subnet(self.network(), "192.168.5.0/24")
        self.assertEqual("192.168.5.1", subnet["gateway_ip"])
        self.assertEqual([{"start": "192.168.5.2", "end": "192.168.5.254"}],
                         subnet["allocation_pools"])
        self.assertEqual((True, [], [], None), (subnet["enable_dhcp"],
                                                subnet["dns_nameservers"],
                                                subnet["host_routes"],
                                                subnet["subnetpool_id"]))

    def test_validation(self) -> None:
        net = self.network()
        self.subnet(net, "10.0.0.0/24")
        bad = [("10.0.0.0/25", {}),                      # overlaps
               ("10.1.0.5/24", {}),                      # host bits
               ("10.2.0.0/24", {"gateway_ip": "10.3.0.1"}),
               ("10.4.0.0/24", {"ip_version": 6}),
               ("10.5.0.0/24", {"ipv6_ra_mode": "slaac"}),
               ("fd00::/64", {"ipv6_ra_mode": "slaac", "ipv6_address_mode": "dhcpv6-stateful"}),
               ("10.6.0.0/24", {"dns_nameservers": ["8.8.8.8", "8.8.8.8"]})]
        for cidr, body in bad:
            with self.subTest(cidr=cidr, body=body), self.assertRaises(
                    exceptions.InvalidInput):
                self.subnet(net, cidr, **body)

    def test_no_gateway(self) -> None:
        subnet = self.subnet(self.network(), "10.0.0.0/29", gateway_ip=None)
        self.assertIsNone(subnet["gateway_ip"])
        self.assertEqual([{"start": "10.0.0.1", "end": "10.0.0.6"}],
                         subnet["allocation_pools"])

    def test_only_the_network_owner_adds_subnets(self) -> None:
        shared = self.network(ADMIN, shared=True)
        with self.assertRaises(exceptions.Forbidden):
            self.subnet(shared, ctxt=BOB)

    def test_update(self) -> None:
        subnet = self.subnet(self.network())
        updated = subnets.update_subnet(ALICE, subnet["id"], {
            "dns_nameservers": ["1.1.1.1", "9.9.9.9"], "enable_dhcp": False,
            "host_routes": [{"destination": "10.8.0.0/16", "nexthop": "10.0.0.254"}]})
        self.assertEqual((["1.1.1.1", "9.9.9.9"], False, 2),
                         (updated["dns_nameservers"], updated["enable_dhcp"],
                          updated["revision_number"]))
        with self.assertRaises(exceptions.InvalidInput):
            subnets.update_subnet(ALICE, subnet["id"], {"cidr": "10.9.0.0/24"})
        with self.assertRaises(exceptions.GatewayConflictWithAllocationPools):
            subnets.update_subnet(ALICE, subnet["id"], {"gateway_ip": "10.0.0.50"})


class ListsTagsQuotasTest(network_helpers.NetworkTestCase):
    def test_filters_sorting_and_paging(self) -> None:
        made = [self.network(name=name) for name in ("c", "a", "b")]
        networks.update_network(ALICE, made[0]["id"], {"admin_state_up": False})
        names = [n["name"] for n in networks.list_networks(ALICE, sorts=[("name", True)])]
        self.assertEqual(["a", "b", "c"], names)
        down = networks.list_networks(ALICE, filters={"admin_state_up": ["False"]})
        self.assertEqual(["c"], [n["name"] for n in down])
        self.assertEqual(["a", "b"], sorted(n["name"] for n in networks.list_networks(
            ALICE, filters={"name": ["a", "b"]})))
        first = networks.list_networks(ALICE, sorts=[("name", False)], limit=2)
        self.assertEqual(["c", "b"], [n["name"] for n in first])
        rest = networks.list_networks(ALICE, sorts=[("name", False)], limit=2,
                                      marker=first[-1]["id"])
        self.assertEqual(["a"], [n["name"] for n in rest])
        with self.assertRaises(exceptions.BadRequest):
            networks.list_networks(ALICE, marker="no-such-id")

    def test_tags(self) -> None:
        red, blue = self.network(name="red"), self.network(name="blue")
        self.assertEqual(["a", "b"], tags.replace_tags(ALICE, "networks", red["id"],
                                                       ["b", "a"]))
        tags.add_tag(ALICE, "networks", blue["id"], "a")
        tags.check_tag(ALICE, "networks", red["id"], "b")
        with self.assertRaises(exceptions.TagNotFound):
            tags.check_tag(ALICE, "networks", blue["id"], "b")
        self.assertEqual(["red"], [n["name"] for n in networks.list_networks(
            ALICE, filters={"tags": ["a,b"]})])
        self.assertEqual(["blue", "red"], sorted(n["name"] for n in networks.list_networks(
            ALICE, filters={"tags-any": ["a"]})))
        self.assertEqual(["blue"], [n["name"] for n in networks.list_networks(
            ALICE, filters={"not-tags": ["b"]})])
        tags.remove_tag(ALICE, "networks", red["id"], "a")
        self.assertEqual(["b"], networks.get_network(ALICE, red["id"])["tags"])
        tags.remove_all_tags(ALICE, "networks", red["id"])
        self.assertEqual([], tags.get_tags(ALICE, "networks", red["id"]))

    def test_quota(self) -> None:
        quotas.update_quota(ADMIN, "alice", {"network": 1})
        self.assertEqual(1, quotas.get_quota(ALICE, "alice")["network"])
        self.network()
        with self.assertRaises(exceptions.NetworkOverQuota) as caught:
            self.network()
        self.assertEqual(409, caught.exception.code)
        self.assertEqual({"limit": 1, "used": 1, "reserved": 0},
                         quotas.get_quota_details(ALICE, "alice")["network"])
        quotas.delete_quota(ADMIN, "alice")
        self.assertEqual(100, quotas.get_quota(ALICE, "alice")["network"])

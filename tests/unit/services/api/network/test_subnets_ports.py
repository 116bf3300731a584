"""Subnets and ports through the API: list-valued attributes, IPv6, fixed IPs from the
IPAM or requested, the fixed_ips filters, DNS names and bindings."""
from unittest import mock

from common import notifications
from tests.unit.base import network_api as base


class SubnetsTest(base.NetworkAPITestCase):
    def test_lists_are_lists_and_ipv6(self) -> None:
        net, subnet = self.network_with_subnet()
        self.assertEqual([{"start": "10.0.0.2", "end": "10.0.0.254"}],
                         subnet["allocation_pools"])
        self.assertEqual(([], [], "10.0.0.1"), (subnet["dns_nameservers"],
                                                subnet["host_routes"], subnet["gateway_ip"]))
        v6 = self.create("subnets", "subnet", {
            "network_id": net["id"], "cidr": "fd00::/64", "ip_version": 6,
            "ipv6_ra_mode": "slaac", "ipv6_address_mode": "slaac",
            "dns_nameservers": ["fd00::53"],
            "host_routes": [{"destination": "fd01::/64", "nexthop": "fd00::fe"}]})
        self.assertEqual(("slaac", ["fd00::53"]), (v6["ipv6_address_mode"],
                                                   v6["dns_nameservers"]))
        shown = self.call("GET", f"/networks/{net['id']}").json["network"]
        self.assertEqual({subnet["id"], v6["id"]}, set(shown["subnets"]))
        overlap = self.call("POST", "/subnets", {"subnet": {
            "network_id": net["id"], "cidr": "10.0.0.128/25", "ip_version": 4}}, status=400)
        self.assertIn("overlaps with another subnet", overlap.json["NeutronError"]["message"])
        updated = self.call("PUT", f"/subnets/{subnet['id']}", {"subnet": {
            "dns_nameservers": ["8.8.8.8"]}}, status=200).json["subnet"]
        self.assertEqual(["8.8.8.8"], updated["dns_nameservers"])
        self.assertIn(("subnet", subnet["id"]), self.synced())

    def test_bulk_and_delete_in_use(self) -> None:
        net = self.create("networks", "network", {"name": "n"})
        resp = self.call("POST", "/subnets", {"subnets": [
            {"network_id": net["id"], "cidr": "10.1.0.0/24", "ip_version": 4},
            {"network_id": net["id"], "cidr": "10.2.0.0/24", "ip_version": 4}]}, status=201)
        first = resp.json["subnets"][0]
        self.create("ports", "port", {"network_id": net["id"]})
        busy = self.call("DELETE", f"/subnets/{first['id']}", status=409)
        self.assertEqual("SubnetInUse", self.error_type(busy))
        in_use = self.call("DELETE", f"/networks/{net['id']}", status=409)
        self.assertEqual("NetworkInUse", self.error_type(in_use))

    def test_slaac_subnet_goes_with_its_addresses(self) -> None:
        net = self.create("networks", "network", {"name": "v6"})
        subnet = self.create("subnets", "subnet", {
            "network_id": net["id"], "cidr": "fd00:1::/64", "ip_version": 6,
            "ipv6_ra_mode": "slaac", "ipv6_address_mode": "slaac"})
        self.assertFalse(subnet["router:external"])
        port = self.create("ports", "port", {"network_id": net["id"]})
        self.assertEqual(subnet["id"], port["fixed_ips"][0]["subnet_id"])
        self.call("DELETE", f"/subnets/{subnet['id']}", status=204)
        self.assertEqual([], self.call("GET", f"/ports/{port['id']}").json["port"][
            "fixed_ips"])
        self.assertIn(("port", port["id"]), self.sync.call_args_list[-1].args[2:])
        self.call("DELETE", f"/networks/{net['id']}", status=409)


class PortsTest(base.NetworkAPITestCase):
    def test_fixed_ips_dns_and_filters(self) -> None:
        net, subnet = self.network_with_subnet()
        port = self.create("ports", "port", {"network_id": net["id"], "dns_name": "vm1",
                                             "name": "p1"})
        self.assertTrue(port["mac_address"].startswith("fa:16:3e:"))
        (fixed,) = port["fixed_ips"]
        self.assertEqual(subnet["id"], fixed["subnet_id"])
        self.assertEqual("vm1", port["dns_assignment"][0]["hostname"])
        self.assertEqual("DOWN", port["status"])
        self.assertEqual(1, len(port["security_groups"]))  # the project's default group
        wanted = self.create("ports", "port", {"network_id": net["id"], "fixed_ips": [
            {"subnet_id": subnet["id"], "ip_address": "10.0.0.50"}]})
        self.assertEqual("10.0.0.50", wanted["fixed_ips"][0]["ip_address"])
        taken = self.call("POST", "/ports", {"port": {"network_id": net["id"], "fixed_ips": [
            {"ip_address": "10.0.0.50"}]}}, status=409)
        self.assertEqual("IpAddressAlreadyAllocated", self.error_type(taken))
        found = self.call("GET", "/ports", query="fixed_ips=ip_address%3D10.0.0.50"
                          ).json["ports"]
        self.assertEqual([wanted["id"]], [p["id"] for p in found])
        by_subnet = self.call("GET", "/ports", query=f"fixed_ips=subnet_id%3D{subnet['id']}"
                              "&fields=id&fields=fixed_ips").json["ports"]
        self.assertEqual({port["id"], wanted["id"]}, {p["id"] for p in by_subnet})
        self.assertEqual({"id", "fixed_ips"}, set(by_subnet[0]))
        substr = self.call("GET", "/ports", query="fixed_ips=ip_address_substr%3D0.50")
        self.assertEqual([wanted["id"]], [p["id"] for p in substr.json["ports"]])

    def test_binding_is_admin_only_and_updates(self) -> None:
        net, _subnet = self.network_with_subnet()
        port = self.create("ports", "port", {"network_id": net["id"]})
        self.call("PUT", f"/ports/{port['id']}", {"port": {"binding:host_id": "h1"}},
                  status=403)
        bound = self.call("PUT", f"/ports/{port['id']}", {"port": {
            "binding:host_id": "h1", "device_id": "vm", "device_owner": "compute:nova"}},
            headers=self.admin, status=200).json["port"]
        self.assertEqual(("h1", "ovs"), (bound["binding:host_id"], bound["binding:vif_type"]))
        pairs = self.call("PUT", f"/ports/{port['id']}", {"port": {
            "allowed_address_pairs": [{"ip_address": "10.0.0.200"}]}}, status=200)
        self.assertEqual("10.0.0.200",
                         pairs.json["port"]["allowed_address_pairs"][0]["ip_address"])
        self.call("DELETE", f"/ports/{port['id']}", status=204)
        self.assertEqual(404, self.call("GET", f"/ports/{port['id']}").status_code)
        self.assertIn(("port", port["id"]), self.synced())

    def test_bulk_ports(self) -> None:
        net, _subnet = self.network_with_subnet()
        casts = self.sync.call_count
        with mock.patch.object(notifications, "notify") as notify:
            resp = self.call("POST", "/ports", {"ports": [{"network_id": net["id"]}] * 3},
                             status=201)
        addresses = {p["fixed_ips"][0]["ip_address"] for p in resp.json["ports"]}
        self.assertEqual(3, len(addresses))
        self.assertEqual(3, len([s for s in self.synced() if s[0] == "port"]))
        # One cast and one notification for the bulk, listing every port (as Neutron).
        self.assertEqual(casts + 1, self.sync.call_count)
        (_ctxt, _publisher, event_type, payload), _ = notify.call_args
        notify.assert_called_once()
        self.assertEqual(("port.create.end", resp.json), (event_type, payload))

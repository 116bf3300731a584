"""Routers and floating IPs through the API: the external gateway, interfaces by subnet
and by port with Neutron's response body, static routes, association of floating IPs."""
from tests.unit.base import network_api as base


class RoutersTest(base.NetworkAPITestCase):
    def test_gateway_interfaces_routes(self) -> None:
        ext, ext_subnet = self.external_network()
        net, subnet = self.network_with_subnet()
        router = self.create("routers", "router", {"name": "r1", "admin_state_up": True})
        self.assertIsNone(router["external_gateway_info"])
        gateway = self.call("PUT", f"/routers/{router['id']}", {"router": {
            "external_gateway_info": {"network_id": ext["id"]}}}, status=200
        ).json["router"]["external_gateway_info"]
        self.assertEqual((ext["id"], True), (gateway["network_id"], gateway["enable_snat"]))
        self.assertEqual(ext_subnet["id"], gateway["external_fixed_ips"][0]["subnet_id"])
        info = self.call("PUT", f"/routers/{router['id']}/add_router_interface",
                         {"subnet_id": subnet["id"]}, status=200).json
        self.assertEqual({"id", "tenant_id", "project_id", "port_id", "subnet_id",
                          "subnet_ids", "network_id"}, set(info))
        self.assertEqual((router["id"], subnet["id"], net["id"]),
                         (info["id"], info["subnet_id"], info["network_id"]))
        self.assertIn(("port", info["port_id"]), self.synced())
        port = self.call("GET", f"/ports/{info['port_id']}").json["port"]
        self.assertEqual(("network:router_interface", "10.0.0.1"),
                         (port["device_owner"], port["fixed_ips"][0]["ip_address"]))
        self.call("DELETE", f"/ports/{port['id']}", status=409)
        routes = self.call("PUT", f"/routers/{router['id']}", {"router": {"routes": [
            {"destination": "192.168.0.0/24", "nexthop": "10.0.0.10"}]}}, status=200)
        self.assertEqual(1, len(routes.json["router"]["routes"]))
        self.call("PUT", f"/routers/{router['id']}", {"router": {"routes": []}}, status=200)
        busy = self.call("DELETE", f"/routers/{router['id']}", status=409)
        self.assertEqual("RouterInUse", self.error_type(busy))
        removed = self.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                            {"subnet_id": subnet["id"]}, status=200).json
        self.assertEqual(info["port_id"], removed["port_id"])
        gone = self.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                         {"subnet_id": subnet["id"]}, status=404)
        self.assertEqual("RouterInterfaceNotFoundForSubnet", self.error_type(gone))
        self.call("PUT", f"/routers/{router['id']}/add_router_interface", {}, status=400)
        self.call("DELETE", f"/routers/{router['id']}", status=204)

    def test_interface_by_port(self) -> None:
        net, _subnet = self.network_with_subnet()
        router = self.create("routers", "router", {"name": "r"})
        port = self.create("ports", "port", {"network_id": net["id"]})
        info = self.call("PUT", f"/routers/{router['id']}/add_router_interface",
                         {"port_id": port["id"]}, status=200).json
        self.assertEqual(port["id"], info["port_id"])
        self.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                  {"port_id": port["id"]}, status=200)
        self.assertEqual(404, self.call("GET", f"/ports/{port['id']}").status_code)


class FloatingIPsTest(base.NetworkAPITestCase):
    def test_create_associate_disassociate(self) -> None:
        ext, _ext_subnet = self.external_network()
        net, subnet = self.network_with_subnet()
        router = self.create("routers", "router", {"external_gateway_info": {
            "network_id": ext["id"]}})
        self.call("PUT", f"/routers/{router['id']}/add_router_interface",
                  {"subnet_id": subnet["id"]}, status=200)
        port = self.create("ports", "port", {"network_id": net["id"]})
        fip = self.create("floatingips", "floatingip", {"floating_network_id": ext["id"]})
        self.assertEqual((None, None, "DOWN"), (fip["port_id"], fip["router_id"],
                                                fip["status"]))
        self.assertTrue(fip["floating_ip_address"].startswith("172.24.4."))
        bound = self.call("PUT", f"/floatingips/{fip['id']}", {"floatingip": {
            "port_id": port["id"]}}, status=200).json["floatingip"]
        self.assertEqual((port["id"], router["id"], port["fixed_ips"][0]["ip_address"]),
                         (bound["port_id"], bound["router_id"], bound["fixed_ip_address"]))
        listed = self.call("GET", "/floatingips", query=f"port_id={port['id']}")
        self.assertEqual([fip["id"]], [f["id"] for f in listed.json["floatingips"]])
        freed = self.call("PUT", f"/floatingips/{fip['id']}", {"floatingip": {
            "port_id": None}}, status=200).json["floatingip"]
        self.assertIsNone(freed["port_id"])
        self.assertEqual(3, self.synced().count(("floatingip", fip["id"])))
        self.call("DELETE", f"/floatingips/{fip['id']}", status=204)
        missing = self.call("GET", f"/floatingips/{fip['id']}", status=404)
        self.assertEqual("FloatingIPNotFound", self.error_type(missing))

    def test_unassociated_floatingips_go_with_their_network(self) -> None:
        ext, _ext_subnet = self.external_network()
        fip = self.create("floatingips", "floatingip", {"floating_network_id": ext["id"]},
                          self.admin)
        self.call("DELETE", f"/networks/{ext['id']}", headers=self.admin, status=204)
        self.call("GET", f"/floatingips/{fip['id']}", headers=self.admin, status=404)

    def test_not_external_is_400(self) -> None:
        net, _subnet = self.network_with_subnet()
        self.call("POST", "/floatingips", {"floatingip": {"floating_network_id": net["id"]}},
                  status=400)

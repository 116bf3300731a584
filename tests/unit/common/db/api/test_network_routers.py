"""Routers (interfaces, gateway, routes) and floating IPs."""
from common import exceptions
from tests.network_requests import network_floatingips as fips
from tests.network_requests import network_ports as ports
from tests.network_requests import network_routers as routers
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ALICE, BOB


class RouterTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ext, self.ext_sub = self.external_network()
        self.net = self.network()
        self.sub = self.subnet(self.net)
        self.router = routers.create_router(ALICE, {
            "name": "r", "external_gateway_info": {"network_id": self.ext["id"]}})

    def test_gateway(self) -> None:
        info = self.router["external_gateway_info"]
        self.assertEqual((self.ext["id"], True), (info["network_id"], info["enable_snat"]))
        self.assertEqual([{"subnet_id": self.ext_sub["id"], "ip_address": "172.24.4.2"}],
                         info["external_fixed_ips"])
        updated = routers.update_router(ALICE, self.router["id"], {
            "external_gateway_info": {"network_id": self.ext["id"], "enable_snat": False}})
        self.assertFalse(updated["external_gateway_info"]["enable_snat"])
        cleared = routers.update_router(ALICE, self.router["id"], {"external_gateway_info": {}})
        self.assertIsNone(cleared["external_gateway_info"])
        with self.assertRaises(exceptions.InvalidInput):
            routers.update_router(ALICE, self.router["id"], {
                "external_gateway_info": {"network_id": self.net["id"]}})

    def test_interface_by_subnet(self) -> None:
        info = routers.add_router_interface(ALICE, self.router["id"],
                                            {"subnet_id": self.sub["id"]})
        self.assertEqual((self.router["id"], self.sub["id"], [self.sub["id"]], self.net["id"]),
                         (info["id"], info["subnet_id"], info["subnet_ids"],
                          info["network_id"]))
        port = ports.get_port(ALICE, info["port_id"])
        self.assertEqual(("network:router_interface", self.router["id"], "10.0.0.1"),
                         (port["device_owner"], port["device_id"],
                          port["fixed_ips"][0]["ip_address"]))
        with self.assertRaises(exceptions.InvalidInput):
            routers.add_router_interface(ALICE, self.router["id"], {"subnet_id": self.sub["id"]})
        with self.assertRaises(exceptions.Conflict):
            ports.delete_port(ALICE, port["id"])
        with self.assertRaises(exceptions.RouterInUse):
            routers.delete_router(ALICE, self.router["id"])
        self.assertEqual(info, routers.remove_router_interface(
            ALICE, self.router["id"], {"subnet_id": self.sub["id"]}))
        with self.assertRaises(exceptions.PortNotFound):
            ports.get_port(ALICE, port["id"])
        routers.delete_router(ALICE, self.router["id"])

    def test_interface_by_port(self) -> None:
        port = self.port(self.net)
        info = routers.add_router_interface(ALICE, self.router["id"], {"port_id": port["id"]})
        self.assertEqual(port["id"], info["port_id"])
        self.assertEqual([], ports.get_port(ALICE, port["id"])["security_groups"])
        with self.assertRaises(exceptions.PortInUse):
            routers.add_router_interface(ALICE, self.router["id"], {"port_id": port["id"]})
        with self.assertRaises(exceptions.RouterInterfaceNotFound):
            routers.remove_router_interface(ALICE, self.router["id"], {"port_id": "nope"})
        routers.remove_router_interface(ALICE, self.router["id"], {"port_id": port["id"]})

    def test_interface_checks(self) -> None:
        for body in ({}, {"subnet_id": self.sub["id"], "port_id": "x"}):
            with self.assertRaises(exceptions.InvalidInput):
                routers.add_router_interface(ALICE, self.router["id"], body)
        with self.assertRaises(exceptions.RouterNotFound):
            routers.add_router_interface(BOB, self.router["id"], {"subnet_id": self.sub["id"]})

    def test_routes_need_a_connected_nexthop(self) -> None:
        routers.add_router_interface(ALICE, self.router["id"], {"subnet_id": self.sub["id"]})
        routes = [{"destination": "10.20.0.0/16", "nexthop": "10.0.0.254"}]
        updated = routers.update_router(ALICE, self.router["id"], {"routes": routes})
        self.assertEqual(routes, updated["routes"])
        with self.assertRaises(exceptions.InvalidInput):
            routers.update_router(ALICE, self.router["id"], {"routes": [
                {"destination": "10.30.0.0/16", "nexthop": "192.168.1.1"}]})
        with self.assertRaises(exceptions.Conflict):
            routers.remove_router_interface(ALICE, self.router["id"],
                                            {"subnet_id": self.sub["id"]})


class FloatingIPTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ext, self.ext_sub = self.external_network()
        self.net = self.network()
        self.sub = self.subnet(self.net)
        self.vm = self.port(self.net)

    def connect(self) -> dict:
        router = routers.create_router(ALICE, {
            "external_gateway_info": {"network_id": self.ext["id"]}})
        routers.add_router_interface(ALICE, router["id"], {"subnet_id": self.sub["id"]})
        return router

    def test_allocate_associate_disassociate(self) -> None:
        router = self.connect()
        fip = fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"]})
        self.assertEqual(("DOWN", None, "172.24.4.3"),
                         (fip["status"], fip["port_id"], fip["floating_ip_address"]))
        fip = fips.update_floatingip(ALICE, fip["id"], {"port_id": self.vm["id"]})
        self.assertEqual(("ACTIVE", self.vm["id"], "10.0.0.2", router["id"]),
                         (fip["status"], fip["port_id"], fip["fixed_ip_address"],
                          fip["router_id"]))
        with self.assertRaises(exceptions.FloatingIPPortAlreadyAssociated):
            fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                           "port_id": self.vm["id"]})
        with self.assertRaises(exceptions.RouterInterfaceInUseByFloatingIP):
            routers.remove_router_interface(ALICE, router["id"], {"subnet_id": self.sub["id"]})
        with self.assertRaises(exceptions.RouterExternalGatewayInUseByFloatingIp):
            routers.update_router(ALICE, router["id"], {"external_gateway_info": None})
        fip = fips.update_floatingip(ALICE, fip["id"], {"port_id": None})
        self.assertEqual(("DOWN", None, None), (fip["status"], fip["port_id"],
                                                fip["router_id"]))

    def test_no_router_to_the_external_network(self) -> None:
        with self.assertRaises(exceptions.ExternalGatewayForFloatingIPNotFound):
            fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                           "port_id": self.vm["id"]})

    def test_requested_address_and_release(self) -> None:
        fip = fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                             "floating_ip_address": "172.24.4.77"})
        self.assertEqual("172.24.4.77", fip["floating_ip_address"])
        with self.assertRaises(exceptions.IpAddressAlreadyAllocated):
            fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                           "floating_ip_address": "172.24.4.77"})
        fips.delete_floatingip(ALICE, fip["id"])
        again = fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                               "floating_ip_address": "172.24.4.77"})
        self.assertEqual("172.24.4.77", again["floating_ip_address"])

    def test_not_on_an_internal_network(self) -> None:
        with self.assertRaises(exceptions.InvalidInput):
            fips.create_floatingip(ALICE, {"floating_network_id": self.net["id"]})

    def test_deleting_the_port_disassociates(self) -> None:
        self.connect()
        fip = fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                             "port_id": self.vm["id"]})
        ports.delete_port(ALICE, self.vm["id"])
        fip = fips.get_floatingip(ALICE, fip["id"])
        self.assertEqual((None, None, "DOWN"), (fip["port_id"], fip["fixed_ip_address"],
                                                fip["status"]))

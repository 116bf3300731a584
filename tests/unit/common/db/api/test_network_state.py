"""What the network agent gets: snapshots, the scopes a change affects, port status."""
from common.db.api import network_state
from tests.network_requests import network_floatingips as fips
from tests.network_requests import network_ports as ports
from tests.network_requests import network_routers as routers
from tests.network_requests import network_security_groups as sgs
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ADMIN, ALICE


class StateTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ext, _ = self.external_network()
        self.net = self.network()
        self.sub = self.subnet(self.net)
        self.vm = self.port(self.net)
        self.sg = self.vm["security_groups"][0]
        self.router = routers.create_router(ALICE, {
            "external_gateway_info": {"network_id": self.ext["id"]}})
        self.interface = routers.add_router_interface(ALICE, self.router["id"],
                                                      {"subnet_id": self.sub["id"]})
        self.fip = fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                                  "port_id": self.vm["id"]})

    def scopes(self, *seeds: tuple[str, str]) -> set[tuple[str, str]]:
        return {tuple(scope) for scope in network_state.snapshot(ADMIN, seeds=seeds)["scopes"]}

    def test_full_snapshot(self) -> None:
        snapshot = network_state.snapshot(ADMIN)
        self.assertEqual(2, len(snapshot["networks"]))
        self.assertEqual(4, len(snapshot["ports"]))  # vm, interface, gateway, floating
        self.assertEqual([self.fip["id"]], [f["id"] for f in snapshot["floatingips"]])
        self.assertEqual({self.sg: ["10.0.0.2"]}, snapshot["sg_addresses"])
        self.assertIn(("router", self.router["id"]), {tuple(s) for s in snapshot["scopes"]})

    def test_scopes_of_a_port(self) -> None:
        self.assertEqual({("port", self.vm["id"]), ("network", self.net["id"]),
                          ("security_group", self.sg), ("router", self.router["id"])},
                         self.scopes(("port", self.vm["id"])))

    def test_scopes_of_a_router_subnet_fip_and_rule(self) -> None:
        router_scopes = self.scopes(("router", self.router["id"]))
        self.assertIn(("port", self.interface["port_id"]), router_scopes)
        self.assertIn(("network", self.ext["id"]), router_scopes)
        subnet_scopes = self.scopes(("subnet", self.sub["id"]))
        self.assertTrue({("network", self.net["id"]), ("port", self.vm["id"]),
                         ("router", self.router["id"])} <= subnet_scopes)
        self.assertEqual({("router", self.router["id"])},
                         self.scopes(("floatingip", self.fip["id"])))
        rule = sgs.get_security_group(ALICE, self.sg)["security_group_rules"][0]
        self.assertEqual({("security_group", self.sg)},
                         self.scopes(("security_group_rule", rule["id"])))

    def test_gone_resources_have_no_database_scopes(self) -> None:
        fips.delete_floatingip(ALICE, self.fip["id"])
        self.assertEqual(set(), self.scopes(("floatingip", self.fip["id"])))
        self.assertEqual({("port", "gone")}, self.scopes(("port", "gone")))

    def test_scoped_snapshot_holds_what_the_router_needs(self) -> None:
        snapshot = network_state.snapshot(ADMIN, scopes=[["router", self.router["id"]]])
        self.assertEqual([self.router["id"]], [r["id"] for r in snapshot["routers"]])
        self.assertEqual(2, len(snapshot["ports"]))  # interface and gateway
        self.assertEqual(2, len(snapshot["subnets"]))
        self.assertEqual([self.fip["id"]], [f["id"] for f in snapshot["floatingips"]])
        self.assertEqual([], snapshot["networks"])

    def test_port_status(self) -> None:
        changed = network_state.set_port_statuses(ADMIN, {self.vm["id"]: "ACTIVE",
                                                          "gone": "ACTIVE"})
        self.assertEqual([(self.vm["id"], "ACTIVE")], [(p["id"], p["status"]) for p in changed])
        self.assertEqual([], network_state.set_port_statuses(ADMIN, {self.vm["id"]: "ACTIVE"}))
        port = ports.get_port(ALICE, self.vm["id"])
        self.assertEqual(("ACTIVE", self.vm["revision_number"]),
                         (port["status"], port["revision_number"]))

"""The reconciler on the in-memory northbound: full passes converge, repair and count,
the fast path follows creates and deletes, a failed sync is retried with its seeds, and
port status follows the ``up`` column (tests/functional/network/test_northbound.py runs
the same on a real ovsdb-server and checks that the fake converges like it)."""
from typing import Any

from common import exceptions, ovn_names
from services.network import reconcile
from services.network.ovn import rows
from tests.network_requests import network as networks
from tests.network_requests import network_floatingips as fips
from tests.network_requests import network_ports as ports
from tests.network_requests import network_routers as routers
from tests.network_requests import network_security_groups as sgs
from tests.unit.base import northbound as nb_base
from tests.unit.base.network import ALICE


def repairs(kind: str) -> float:
    return reconcile.REPAIRS.labels(kind=kind)._value.get()


class ReconcileTestCase(nb_base.NorthboundTestCase):
    """A network with a subnet and a port, behind a router with a gateway and a
    floating IP."""

    def setUp(self) -> None:
        super().setUp()
        self.ext, _ = self.external_network()
        self.net = self.network()
        self.sub = self.subnet(self.net)
        self.vm = self.port(self.net)
        self.router = routers.create_router(ALICE, {
            "external_gateway_info": {"network_id": self.ext["id"]}})
        routers.add_router_interface(ALICE, self.router["id"], {"subnet_id": self.sub["id"]})
        self.fip = fips.create_floatingip(ALICE, {"floating_network_id": self.ext["id"],
                                                  "port_id": self.vm["id"]})

    def nat_types(self) -> list[str]:
        return sorted(row.columns["type"] for row in self.driver.read().rows.values()
                      if row.table == "NAT")

    def status(self) -> str:
        return ports.get_port(ALICE, self.vm["id"])["status"]


class ReconcileTest(ReconcileTestCase):
    def test_full_pass_converges_then_has_nothing_to_do(self) -> None:
        first = self.reconciler.reconcile_all()
        self.assertGreater(len(first), 20)
        self.assertEqual(0, len(self.reconciler.reconcile_all()))
        self.assertIn(ovn_names.switch_name(self.net["id"]),
                      self.nb_keys("Logical_Switch"))
        self.assertEqual(["dnat_and_snat", "snat"], self.nat_types())

    def test_hand_deleted_rows_come_back_and_are_counted(self) -> None:
        self.reconciler.reconcile_all()
        acls = self.nb_keys("ACL")
        before = {kind: repairs(kind) for kind in ("Logical_Switch_Port", "ACL", "NAT")}
        self.delete_by_hand("Logical_Switch_Port", self.vm["id"])
        for acl in acls:
            self.delete_by_hand("ACL", acl)
        for nat in self.nb_keys("NAT"):
            self.delete_by_hand("NAT", nat)
        changes = self.reconciler.reconcile_all()
        self.assertEqual(1, repairs("Logical_Switch_Port") - before["Logical_Switch_Port"])
        self.assertEqual(len(acls), repairs("ACL") - before["ACL"])
        self.assertEqual(2, repairs("NAT") - before["NAT"])
        self.assertEqual(acls, self.nb_keys("ACL"))
        self.assertIn(self.vm["id"], self.nb_keys("Logical_Switch_Port"))
        # The port rejoined its groups too.
        self.assertIn(rows.Member(ovn_names.DROP_PORT_GROUP, self.vm["id"]), changes.add_members)

    def test_fast_path_follows_changes_and_deletions(self) -> None:
        self.reconciler.reconcile_all()
        fips.update_floatingip(ALICE, self.fip["id"], {"port_id": None})
        self.reconciler.sync([("floatingip", self.fip["id"])])
        self.assertEqual(["snat"], self.nat_types())

        web = sgs.create_security_group(ALICE, {"name": "web"})
        rule = sgs.create_security_group_rule(ALICE, {
            "security_group_id": web["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 80, "port_range_max": 80})
        ports.update_port(ALICE, self.vm["id"], {"security_groups": [web["id"]]})
        self.reconciler.sync([("port", self.vm["id"])])
        self.assertIn(ovn_names.port_group_name(web["id"]), self.nb_keys("Port_Group"))
        members = self.nb_members()
        self.assertIn(rows.Member(ovn_names.port_group_name(web["id"]), self.vm["id"]), members)
        old_default = ovn_names.port_group_name(self.vm["security_groups"][0])
        self.assertNotIn(rows.Member(old_default, self.vm["id"]), members)

        sgs.delete_security_group_rule(ALICE, rule["id"])
        self.reconciler.sync([("security_group_rule", rule["id"])])
        self.assertFalse([acl for acl in self.nb_keys("ACL") if "tcp.dst == 80" in acl])

        ports.delete_port(ALICE, self.vm["id"])
        self.reconciler.sync([("port", self.vm["id"])])
        self.assertNotIn(self.vm["id"], self.nb_keys("Logical_Switch_Port"))

        routers.remove_router_interface(ALICE, self.router["id"], {"subnet_id": self.sub["id"]})
        routers.update_router(ALICE, self.router["id"], {"external_gateway_info": None})
        routers.delete_router(ALICE, self.router["id"])
        self.reconciler.sync([("router", self.router["id"])])
        self.assertEqual([], self.nb_keys("Logical_Router"))
        self.assertEqual([], self.nb_keys("NAT"))

        networks.delete_network(ALICE, self.net["id"])
        self.reconciler.sync([("network", self.net["id"])])
        self.assertNotIn(ovn_names.switch_name(self.net["id"]),
                         self.nb_keys("Logical_Switch"))
        self.assertNotIn(self.sub["id"], self.nb_keys("DHCP_Options"))

    def test_requests_are_handled_by_the_worker(self) -> None:
        self.reconciler.start()
        self.addCleanup(self.reconciler.stop)
        self.reconciler.request([("network", self.net["id"]), ("port", self.vm["id"])])
        self.wait_until(lambda: self.vm["id"] in self.nb_keys("Logical_Switch_Port"))

    def test_a_failed_sync_is_retried_with_its_seeds(self) -> None:
        state = self.reconciler.conductor.get_network_state
        calls = []

        def fails_first(*args: Any, **kwargs: Any) -> dict:
            calls.append(kwargs.get("seeds"))
            if len(calls) == 1:
                raise exceptions.OvnRowMissing(table="Port_Group", key="pg_x",
                                               needed_by="a membership")
            return state(*args, **kwargs)

        self.reconciler.conductor.get_network_state = fails_first
        self.reconciler.start()
        self.addCleanup(self.reconciler.stop)
        self.reconciler.request([("port", self.vm["id"])])
        self.wait_until(lambda: self.vm["id"] in self.nb_keys("Logical_Switch_Port"))
        self.assertEqual([[["port", self.vm["id"]]]] * 2,
                         [[list(seed) for seed in seeds] for seeds in calls])


class PortStatusTest(ReconcileTestCase):
    def test_port_status_follows_up(self) -> None:
        self.reconciler.reconcile_all()
        self.set_port_up(self.vm["id"], True)
        self.wait_until(lambda: self.status() == "ACTIVE")
        self.set_port_up(self.vm["id"], False)
        self.wait_until(lambda: self.status() == "DOWN")

    def test_full_pass_corrects_a_missed_status(self) -> None:
        self.reconciler.reconcile_all()
        self.reporter.stop()  # events are lost from here on
        self.set_port_up(self.vm["id"], True)
        statuses: list[dict] = []
        self.reconciler.report_status = statuses.append
        self.reconciler.reconcile_all()
        self.assertEqual([{self.vm["id"]: "ACTIVE"}], statuses)

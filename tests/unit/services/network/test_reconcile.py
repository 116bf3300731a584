"""The reconciler on a real OVN northbound database: full passes repair and count, the
fast path follows creates and deletes, port status follows the ``up`` column."""
from typing import Any

from common import exceptions, ovn_names
from common.db.api import network as networks
from common.db.api import network_floatingips as fips
from common.db.api import network_ports as ports
from common.db.api import network_routers as routers
from common.db.api import network_security_groups as sgs
from services.network import reconcile
from services.network.ovn import driver as ovn_driver
from services.network.ovn import rows
from tests.unit.common.db.network_helpers import ALICE
from tests.unit.services.network import nb_base


def repairs(kind: str) -> float:
    return reconcile.REPAIRS.labels(kind=kind)._value.get()


class ReconcileTest(nb_base.NorthboundTestCase):
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

    def settle(self, table: str, count: int) -> None:
        """Wait until the driver's replica shows ``count`` rows of ``table``."""
        self.wait_until(lambda: len(self.driver.api.tables[table].rows) == count)

    def test_full_pass_converges_then_has_nothing_to_do(self) -> None:
        first = self.reconciler.reconcile_all()
        self.assertGreater(len(first), 20)
        self.assertEqual(0, len(self.reconciler.reconcile_all()))
        self.assertIn(ovn_names.switch_name(self.net["id"]), self.nbctl_list("Logical_Switch"))
        self.assertEqual(["dnat_and_snat", "snat"], sorted(self.nbctl_list("NAT", "type")))

    def test_hand_deleted_rows_come_back_and_are_counted(self) -> None:
        self.reconciler.reconcile_all()
        acls = len(self.nbctl_list("ACL", "_uuid"))
        before = {kind: repairs(kind) for kind in ("Logical_Switch_Port", "ACL", "NAT")}
        self.nb.nbctl("lsp-del", self.vm["id"])
        for group in self.nbctl_list("Port_Group"):
            self.nb.nbctl("--type=port-group", "acl-del", group)
        router = ovn_names.router_name(self.router["id"])
        self.nb.nbctl("lr-nat-del", router)
        self.nb.nbctl("ls-add", "foreign")
        self.settle("NAT", 0)
        self.settle("ACL", 0)
        self.settle("Logical_Switch", 3)
        changes = self.reconciler.reconcile_all()
        self.assertEqual(1, repairs("Logical_Switch_Port") - before["Logical_Switch_Port"])
        self.assertEqual(acls, repairs("ACL") - before["ACL"])
        self.assertEqual(2, repairs("NAT") - before["NAT"])
        self.assertEqual(acls, len(self.nbctl_list("ACL", "_uuid")))
        self.assertIn(self.vm["id"], self.nbctl_list("Logical_Switch_Port"))
        self.assertIn("foreign", self.nbctl_list("Logical_Switch"))
        # The port rejoined its groups too.
        self.assertIn(rows.Member(ovn_names.DROP_PORT_GROUP, self.vm["id"]), changes.add_members)

    def test_fast_path_follows_changes_and_deletions(self) -> None:
        self.reconciler.reconcile_all()
        fips.update_floatingip(ALICE, self.fip["id"], {"port_id": None})
        self.reconciler.sync([("floatingip", self.fip["id"])])
        self.assertEqual(["snat"], self.nbctl_list("NAT", "type"))

        web = sgs.create_security_group(ALICE, {"name": "web"})
        rule = sgs.create_security_group_rule(ALICE, {
            "security_group_id": web["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 80, "port_range_max": 80})
        ports.update_port(ALICE, self.vm["id"], {"security_groups": [web["id"]]})
        self.reconciler.sync([("port", self.vm["id"])])
        self.assertIn(ovn_names.port_group_name(web["id"]), self.nbctl_list("Port_Group"))
        members = self.driver.read().members
        self.assertIn(rows.Member(ovn_names.port_group_name(web["id"]), self.vm["id"]), members)
        old_default = ovn_names.port_group_name(self.vm["security_groups"][0])
        self.assertNotIn(rows.Member(old_default, self.vm["id"]), members)

        sgs.delete_security_group_rule(ALICE, rule["id"])
        self.reconciler.sync([("security_group_rule", rule["id"])])
        self.assertNotIn("tcp.dst == 80", self.nb.nbctl("list", "ACL"))

        ports.delete_port(ALICE, self.vm["id"])
        self.reconciler.sync([("port", self.vm["id"])])
        self.assertNotIn(self.vm["id"], self.nbctl_list("Logical_Switch_Port"))

        routers.remove_router_interface(ALICE, self.router["id"], {"subnet_id": self.sub["id"]})
        routers.update_router(ALICE, self.router["id"], {"external_gateway_info": None})
        routers.delete_router(ALICE, self.router["id"])
        self.reconciler.sync([("router", self.router["id"])])
        self.assertEqual([], self.nbctl_list("Logical_Router"))
        self.assertEqual([], self.nbctl_list("NAT", "_uuid"))

        networks.delete_network(ALICE, self.net["id"])
        self.reconciler.sync([("network", self.net["id"])])
        self.assertNotIn(ovn_names.switch_name(self.net["id"]), self.nbctl_list("Logical_Switch"))
        self.assertNotIn(self.sub["id"], self.nb.nbctl("list", "DHCP_Options"))

    def test_requests_are_handled_by_the_worker(self) -> None:
        self.reconciler.start()
        self.addCleanup(self.reconciler.stop)
        self.reconciler.request([("network", self.net["id"]), ("port", self.vm["id"])])
        self.wait_until(lambda: self.vm["id"] in self.nbctl_list("Logical_Switch_Port"))

    def test_a_failed_sync_is_retried_with_its_seeds(self) -> None:
        self.flags("network", reconcile_interval=3600)
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
        self.wait_until(lambda: self.vm["id"] in self.nbctl_list("Logical_Switch_Port"))
        self.assertEqual([[["port", self.vm["id"]]]] * 2,
                         [[list(seed) for seed in seeds] for seeds in calls])

    def test_port_status_follows_up(self) -> None:
        self.reconciler.reconcile_all()
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=true")
        self.wait_until(lambda: ports.get_port(ALICE, self.vm["id"])["status"] == "ACTIVE")
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=false")
        self.wait_until(lambda: ports.get_port(ALICE, self.vm["id"])["status"] == "DOWN")

    def test_only_real_up_changes_are_reported(self) -> None:
        reported: list[tuple[str, bool]] = []
        self.driver.stop()
        self.driver = ovn_driver.OvnDriver(self.nb.nb_remote, 10)
        self.driver.start(on_port_up=lambda port, up: reported.append((port, up)))
        self.addCleanup(self.driver.stop)
        self.assertTrue(self.driver.wait_connected(10))
        self.reconciler.driver = self.driver
        self.reconciler.reconcile_all()  # every port created down: nothing to say
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=false")
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=true")
        self.wait_until(lambda: reported)
        self.assertEqual([(self.vm["id"], True)], reported)

    def test_full_pass_corrects_a_missed_status(self) -> None:
        self.reconciler.reconcile_all()
        self.reporter.stop()  # events are lost from here on
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=true")
        self.wait_until(lambda: self.driver.ports_up({self.vm["id"]}) == {self.vm["id"]: True})
        statuses: list[dict] = []
        self.reconciler.report_status = statuses.append
        self.reconciler.reconcile_all()
        self.assertEqual([{self.vm["id"]: "ACTIVE"}], statuses)

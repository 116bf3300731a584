"""The reconciler on a real OVN northbound database: the unit tests of the reconciler
(written against the in-memory fake) pass on it unchanged, which keeps the fake honest;
plus what only a real database shows: rows Strato does not own are kept, and only real
``up`` changes become port-status events."""
from common import ovn_names
from services.network.ovn import idl
from tests.functional.fixtures import northbound
from tests.unit.services.network import test_reconcile


class ReconcileOnOvnTest(northbound.RealNorthboundTestCase, test_reconcile.ReconcileTest):
    pass


class PortStatusOnOvnTest(northbound.RealNorthboundTestCase, test_reconcile.PortStatusTest):
    pass


class OvnOnlyTest(northbound.RealNorthboundTestCase, test_reconcile.ReconcileTestCase):
    def test_foreign_rows_are_kept(self) -> None:
        self.reconciler.reconcile_all()
        self.nb.nbctl("ls-add", "foreign")
        self.nb.nbctl("lsp-add", ovn_names.switch_name(self.net["id"]), "foreign-port")
        self.wait_until(lambda: len(self.driver.api.tables["Logical_Switch"].rows) == 3)
        self.assertEqual(0, len(self.reconciler.reconcile_all()))
        self.assertIn("foreign", self.nbctl_list("Logical_Switch"))
        self.assertIn("foreign-port", self.nbctl_list("Logical_Switch_Port"))

    def test_only_real_up_changes_are_reported(self) -> None:
        reported: list[tuple[str, bool]] = []
        self.driver.stop()
        self.driver = idl.IdlDriver(self.nb.nb_remote, 10)
        self.driver.start(on_port_up=lambda port, up: reported.append((port, up)))
        self.addCleanup(self.driver.stop)
        self.assertTrue(self.driver.wait_connected(10))
        self.reconciler.driver = self.driver
        self.reconciler.reconcile_all()  # every port created down: nothing to say
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=false")
        self.nb.nbctl("set", "Logical_Switch_Port", self.vm["id"], "up=true")
        self.wait_until(lambda: reported)
        self.assertEqual([(self.vm["id"], True)], reported)

"""A real OVN northbound ovsdb-server per test, the agent's driver on it, and a conductor
stand-in that answers from this process's database."""
import json
from typing import Any

from common.db.api import network_state
from services.network import port_status, reconcile
from services.network.ovn import driver as ovn_driver
from tests.functional.network import ovn
from tests.unit.common.db import network_helpers


class FakeConductor:
    """The conductor's network endpoint without the bus (JSON round trip included)."""

    def get_network_state(self, ctxt: Any, seeds: Any = None, scopes: Any = None) -> dict:
        return json.loads(json.dumps(network_state.snapshot(seeds, scopes)))

    def update_port_status(self, ctxt: Any, statuses: dict[str, str]) -> None:
        network_state.set_port_statuses(statuses)


class NorthboundTestCase(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(group="network", gateway_chassis=["chassis1"])
        self.nb = ovn.Northbound()
        self.addCleanup(self.nb.cleanup)
        self.nb.start()
        self.reporter = port_status.StatusReporter(FakeConductor())
        self.reporter.start()
        self.addCleanup(self.reporter.stop)
        self.driver = ovn_driver.OvnDriver(self.nb.nb_remote, 10)
        self.driver.start(on_port_up=self.reporter.port_up)
        self.addCleanup(self.driver.stop)
        self.assertTrue(self.driver.wait_connected(10))
        self.reconciler = reconcile.Reconciler(self.driver, FakeConductor(),
                                               self.reporter.report)

    def nbctl_list(self, table: str, column: str = "name") -> list[str]:
        return self.nb.nbctl("--bare", f"--columns={column}", "list", table).split()

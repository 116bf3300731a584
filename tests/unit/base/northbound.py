"""The network agent's parts on the in-memory northbound (services.network.ovn.fake),
and a conductor stand-in that answers from this process's database."""
import json
from typing import Any

from common.db.api import network_state
from services.network import port_status, reconcile
from services.network.ovn import driver, fake
from tests.unit.base import network as network_helpers


class FakeConductor:
    """The conductor's network endpoint without the bus (JSON round trip included)."""

    def get_network_state(self, ctxt: Any, seeds: Any = None, scopes: Any = None) -> dict:
        return json.loads(json.dumps(network_state.snapshot(ctxt, seeds, scopes)))

    def update_port_status(self, ctxt: Any, statuses: dict[str, str]) -> None:
        network_state.set_port_statuses(ctxt, statuses)


class NorthboundTestCase(network_helpers.NetworkTestCase):
    """A reporter, a connected driver and a reconciler (not started) on it."""

    def setUp(self) -> None:
        super().setUp()
        self.flags(group="network", gateway_chassis=["chassis1"])
        self.reporter = port_status.StatusReporter(FakeConductor())
        self.reporter.start()
        self.addCleanup(self.reporter.stop)
        self.driver = self.make_driver()
        self.driver.start(on_port_up=self.reporter.port_up)
        self.addCleanup(self.driver.stop)
        self.assertTrue(self.driver.wait_connected(10))
        self.reconciler = reconcile.Reconciler(self.driver, FakeConductor(),
                                               self.reporter.report)

    def make_driver(self) -> driver.OvnDriver:
        return fake.FakeOvnDriver()

    # What tests look at and do; a real northbound does them with ovn-nbctl.

    def nb_keys(self, table: str) -> list[str]:
        """The keys of Strato's rows of ``table``, sorted."""
        return sorted(key for (row_table, key) in self.driver.read().rows
                      if row_table == table)

    def nb_members(self) -> set:
        return self.driver.read().members

    def delete_by_hand(self, table: str, key: str) -> None:
        """Delete a row (and its children) behind the agent's back."""
        self.driver.delete(table, key)

    def set_port_up(self, port_id: str, up: bool) -> None:
        """ovn-controller bound (or unbound) the port."""
        self.driver.set_port_up(port_id, up)

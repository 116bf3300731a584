"""The network agent's RPC API over fake://: a sync cast reaches the reconciler's queue,
and the manager wires the driver, reporter and reconciler to OVN and the conductor."""
import urllib.request
from unittest import mock

from common import context, ovn_names, rpc
from services.conductor import rpcapi as conductor_rpcapi
from services.network import manager, rpcapi
from services.network.ovn import fake
from tests.functional import fixtures
from tests.unit.base import northbound as nb_base


class RecordingReconciler:
    def __init__(self) -> None:
        self.requests: list[list] = []

    def request(self, seeds: list) -> None:
        self.requests.append([tuple(seed) for seed in seeds])


class SyncCastTest(nb_base.NorthboundTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A conductor that answers the ping an agent waits for at start.
        conductor = rpc.get_server(conductor_rpcapi.TOPIC, "conductor",
                                   [rpc.BaseEndpoint("strato-conductor", "conductor")])
        conductor.start()
        self.addCleanup(conductor.wait)
        self.addCleanup(conductor.stop)

    def test_cast_reaches_the_reconciler(self) -> None:
        agent = manager.NetworkManager("unit-host")
        agent.reconciler = RecordingReconciler()
        server = rpc.get_server(rpcapi.TOPIC, "unit-host", agent.endpoints())
        server.start()
        self.addCleanup(server.wait)
        self.addCleanup(server.stop)
        rpcapi.NetworkAgentAPI().sync(context.get_admin_context(), ("port", "p1"),
                                      ("network", "n1"))
        self.wait_until(lambda: agent.reconciler.requests)
        self.assertEqual([[("port", "p1"), ("network", "n1")]], agent.reconciler.requests)

    def test_unknown_kind_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            rpcapi.NetworkAgentAPI().sync(context.get_admin_context(), ("vm", "x"))

    def test_manager_connects_reconciles_and_syncs(self) -> None:
        first = self.network()
        northbound = fake.FakeOvnDriver()
        agent = manager.NetworkManager("unit-host", driver=northbound)
        with mock.patch.object(conductor_rpcapi, "NetworkConductorAPI", nb_base.FakeConductor):
            agent.init_host()
        self.addCleanup(agent.cleanup_host)

        def switches() -> set[str]:
            return {key for table, key in northbound.read().rows if table == "Logical_Switch"}

        # The full pass that follows the connection...
        self.wait_until(lambda: ovn_names.switch_name(first["id"]) in switches())
        # ...and the fast path.
        second = self.network()
        agent.sync(context.get_admin_context(), [["network", second["id"]]])
        self.wait_until(lambda: ovn_names.switch_name(second["id"]) in switches())

    def test_manager_starts_without_ovn_and_serves_metrics(self) -> None:
        port = fixtures.free_port()
        self.flags(group="network", ovn_nb_connection="unix:/nonexistent/nb.sock",
                   metrics_port=port)
        agent = manager.NetworkManager("unit-host")
        agent.init_host()
        agent.reconcile_all(context.get_admin_context())  # skipped, not failed
        agent.sync(context.get_admin_context(), [["network", "n1"]])
        self.assertFalse(agent.driver.connected)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as page:
            self.assertIn(b"strato_network_reconcile_repairs_total", page.read())
        agent.cleanup_host()

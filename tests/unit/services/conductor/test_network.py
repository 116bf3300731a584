"""The conductor's network endpoint over fake://: snapshots for the agent, and port
status reports that become port.update.end notifications."""
import oslo_messaging as messaging

from common import context, rpc
from services.conductor import network, rpcapi
from tests.unit.base import network as network_helpers


class Notifications:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    def info(self, ctxt: dict, publisher_id: str, event_type: str, payload: dict,
             metadata: dict) -> None:
        self.events.append((event_type, payload))


class NetworkEndpointTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        server = rpc.get_server(rpcapi.TOPIC, "unit-host", [network.NetworkEndpoint()])
        server.start()
        self.addCleanup(server.wait)
        self.addCleanup(server.stop)
        self.notifications = Notifications()
        listener = rpc.get_notification_listener([self.notifications], pool="unit")
        listener.start()
        self.addCleanup(listener.wait)
        self.addCleanup(listener.stop)
        self.api = rpcapi.NetworkConductorAPI()
        self.net = self.network()
        self.subnet(self.net)
        self.vm = self.port(self.net)

    def test_state(self) -> None:
        ctxt = context.get_admin_context()
        full = self.api.get_network_state(ctxt)
        self.assertEqual([self.vm["id"]], [p["id"] for p in full["ports"]])
        scoped = self.api.get_network_state(ctxt, seeds=[["network", self.net["id"]]])
        self.assertEqual([["network", self.net["id"]]], scoped["scopes"])
        self.assertEqual([], scoped["ports"])

    def test_status_change_is_notified(self) -> None:
        self.api.update_port_status(context.get_admin_context(), {self.vm["id"]: "ACTIVE"})
        self.wait_until(lambda: self.notifications.events)
        event_type, payload = self.notifications.events[0]
        self.assertEqual(("port.update.end", self.vm["id"], "ACTIVE"),
                         (event_type, payload["port"]["id"], payload["port"]["status"]))

    def test_namespace(self) -> None:
        self.assertEqual(messaging.Target(namespace="network", version="1.0"),
                         network.NetworkEndpoint.target)

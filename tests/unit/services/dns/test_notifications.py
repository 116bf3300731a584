"""The notification listener: which resource an event is about, and what it triggers."""
import unittest

from common import context
from services.dns import notifications
from services.dns.reconcile import Reconciler
from tests.unit.base.dns import FakeBackend, FakeConductor, snapshot


class SubjectTest(unittest.TestCase):
    def test_payload_shapes(self) -> None:
        cases = [
            ("port.create.end", {"port": {"id": "p1", "network_id": "n1"}}, ("port", "p1", "n1")),
            ("port.delete.end", {"port_id": "p1"}, ("port", "p1", None)),
            ("port.delete.end", {"port_id": "p1", "network_id": "n1"}, ("port", "p1", "n1")),
            ("floatingip.update.end", {"floatingip": {"id": "f1"}}, ("floatingip", "f1", None)),
            ("floatingip.delete.end", {"floatingip_id": "f1"}, ("floatingip", "f1", None)),
            ("network.update.end", {"network": {"id": "n1"}}, ("network", "n1", "n1")),
            ("network.delete.end", {"network_id": "n1"}, ("network", "n1", "n1")),
            ("port.update.end", {}, ("port", None, None)),
        ]
        for event_type, payload, expected in cases:
            with self.subTest(event_type=event_type, payload=payload):
                self.assertEqual(expected, notifications.subject(event_type, payload))

    def test_a_bulk_create_is_about_every_port_it_lists(self) -> None:
        payload = {"ports": [{"id": "p1", "network_id": "n1"}, {"id": "p2",
                                                                 "network_id": "n2"}]}
        self.assertEqual([("port", "p1", "n1"), ("port", "p2", "n2")],
                         notifications.subjects("port.create.end", payload))
        self.assertEqual([("port", "p1", "n1")], notifications.subjects(
            "port.create.end", {"port": {"id": "p1", "network_id": "n1"}}))

    def test_filter_matches_only_the_events_of_interest(self) -> None:
        rule = notifications.NotificationEndpoint.filter_rule
        for event_type in ("port.create.end", "floatingip.delete.end", "network.update.end"):
            self.assertTrue(rule.match(None, "network.host", event_type, {}, {}))
        for event_type in ("port.create.start", "instance.create.end", "router.update.end"):
            self.assertFalse(rule.match(None, "network.host", event_type, {}, {}))


class EndpointTest(unittest.TestCase):
    """Events through a real Reconciler: what the conductor is asked and what the
    backend ends up holding."""

    def setUp(self) -> None:
        zone = snapshot("a.org.", serial=3)
        self.conductor = FakeConductor([zone], networks=[{"id": "n1", "records": []},
                                                         {"id": "n2", "records": []}])
        self.conductor.changed_zones = [zone["id"]]
        self.backend = FakeBackend()
        self.reconciler = Reconciler([self.backend], self.conductor)
        self.endpoint = notifications.NotificationEndpoint(self.reconciler)
        self.ctxt = context.RequestContext(request_id="req-1")

    def notify(self, event_type: str, payload: dict) -> None:
        self.endpoint.info(self.ctxt, "network.host", event_type, payload, {})
        self.reconciler.worker.process_pending()  # what the agent's queue thread does

    def test_port_event_syncs_that_port_its_zones_and_network(self) -> None:
        self.notify("port.update.end", {"port": {"id": "p1", "network_id": "n1"}})
        self.assertEqual([("port", "p1")], self.conductor.managed)
        self.assertEqual({"a.org."}, self.backend.zone_names())
        self.assertEqual({"n1"}, self.backend.network_ids())

    def test_bulk_port_event_syncs_each_port(self) -> None:
        self.notify("port.create.end", {"ports": [{"id": "p1", "network_id": "n1"},
                                                  {"id": "p2", "network_id": "n2"}]})
        self.assertEqual([("port", "p1"), ("port", "p2")], self.conductor.managed)
        self.assertEqual({"n1", "n2"}, self.backend.network_ids())

    def test_network_event_runs_a_full_pass(self) -> None:
        self.backend.zones["stray.org."] = {}
        self.notify("network.update.end", {"network": {"id": "n1"}})
        self.assertEqual([("all", "")], self.conductor.managed)
        self.assertEqual({"a.org."}, self.backend.zone_names())
        self.assertEqual({"n1", "n2"}, self.backend.network_ids())

    def test_event_without_an_id_is_ignored(self) -> None:
        self.notify("port.update.end", {})
        self.assertEqual(([], set(), set()), (self.conductor.managed,
                                             self.backend.zone_names(),
                                             self.backend.network_ids()))

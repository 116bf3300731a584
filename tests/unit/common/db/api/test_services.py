"""The services registry: heartbeat, list, is_up, update and delete."""
import datetime

from common import exceptions
from common.db.api import services
from tests.unit import base
from tests.unit.base.network import ADMIN


class ServicesTest(base.DatabaseTestCase):
    def test_first_heartbeat_creates_the_row(self) -> None:
        service = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        self.assertEqual(("h1", "strato-compute", "compute", "1.0", 1),
                         (service.host, service.binary, service.topic, service.version,
                          service.report_count))
        self.assertIsNotNone(service.uuid)
        self.assertIsNotNone(service.last_seen_at)
        self.assertFalse(service.disabled)

    def test_next_heartbeat_updates_the_same_row(self) -> None:
        first = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        second = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.1")
        self.assertEqual(first.uuid, second.uuid)
        self.assertEqual((2, "1.1"), (second.report_count, second.version))
        self.assertGreaterEqual(second.last_seen_at, first.last_seen_at)
        self.assertEqual(1, len(services.list_services(ADMIN)))

    def test_list_filters_by_binary_and_host(self) -> None:
        services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        services.heartbeat(ADMIN, "h2", "strato-compute", "compute", "1.0")
        services.heartbeat(ADMIN, "h1", "strato-dns", "dns", "1.0")
        self.assertEqual(3, len(services.list_services(ADMIN)))
        self.assertEqual(["h1", "h2"],
                         [s.host for s in services.list_services(ADMIN, binary="strato-compute")])
        self.assertEqual(["strato-compute", "strato-dns"],
                         [s.binary for s in services.list_services(ADMIN, host="h1")])
        self.assertEqual([], services.list_services(ADMIN, host="nowhere"))

    def test_is_up_until_service_down_time_has_passed(self) -> None:
        self.flags(service_down_time=60)
        service = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        seen = service.last_seen_at
        self.assertTrue(services.is_up(service, now=seen))
        self.assertTrue(services.is_up(service, now=seen + datetime.timedelta(seconds=60)))
        self.assertFalse(services.is_up(service, now=seen + datetime.timedelta(seconds=61)))

    def test_never_seen_or_forced_down_is_down(self) -> None:
        service = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        now = service.last_seen_at
        forced = services.update(ADMIN, service.uuid, forced_down=True)
        self.assertFalse(services.is_up(forced, now=now))
        never_seen = services.update(ADMIN, service.uuid, forced_down=False, last_seen_at=None)
        self.assertFalse(services.is_up(never_seen, now=now))

    def test_update_and_get(self) -> None:
        service = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        services.update(ADMIN, service.uuid, disabled=True, disabled_reason="maintenance")
        again = services.get(ADMIN, service.uuid)
        self.assertEqual((True, "maintenance"), (again.disabled, again.disabled_reason))

    def test_delete(self) -> None:
        service = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        services.delete(ADMIN, service.uuid)
        self.assertEqual([], services.list_services(ADMIN))

    def test_unknown_service_raises_service_not_found(self) -> None:
        for call in (lambda: services.get(ADMIN, "missing"),
                     lambda: services.update(ADMIN, "missing", disabled=True),
                     lambda: services.delete(ADMIN, "missing")):
            with self.assertRaises(exceptions.ServiceNotFound) as raised:
                call()
            self.assertEqual(404, raised.exception.code)
            self.assertIn("missing", str(raised.exception))

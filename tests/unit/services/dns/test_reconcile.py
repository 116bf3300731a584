"""The reconciler: backends converge to the conductor's zones and networks, and report."""
import time
import unittest

from common import context
from services.dns.reconcile import Reconciler
from tests.unit.base.dns import FakeBackend, FakeConductor, snapshot


class ReconcilerTest(unittest.TestCase):
    ctxt = context.get_admin_context()

    def test_full_sync_applies_reports_and_removes_strays(self) -> None:
        pending = snapshot("a.org.", serial=3)
        active = snapshot("b.org.", serial=4, status="ACTIVE", action="NONE")
        conductor = FakeConductor([pending, active])
        backends = [FakeBackend("one"), FakeBackend("two")]
        backends[1].zones["stray.org."] = {}
        Reconciler(backends, conductor).sync_zones(self.ctxt)
        for backend in backends:
            self.assertEqual({"a.org.", "b.org."}, backend.zone_names())
        self.assertEqual([{"zone_id": pending["id"], "serial": 3, "ok": True,
                           "transferred": None}], conductor.synced)

    def test_report_waits_the_delay_while_the_backend_serves_at_once(self) -> None:
        zone = snapshot("a.org.", serial=3)
        conductor, backend = FakeConductor([zone]), FakeBackend()
        Reconciler([backend], conductor, report_delay=0.2).sync_zones(self.ctxt)
        self.assertEqual(({"a.org."}, []), (backend.zone_names(), conductor.synced))
        deadline = time.monotonic() + 5
        while not conductor.synced and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual([3], [r["serial"] for r in conductor.synced])

    def test_a_failing_backend_reports_not_ok(self) -> None:
        zone = snapshot(status="ACTIVE")
        conductor = FakeConductor([zone])
        Reconciler([FakeBackend(), FakeBackend(fail=True)], conductor).sync_zones(self.ctxt)
        self.assertEqual([False], [r["ok"] for r in conductor.synced])

    def test_deleted_zone_is_removed_everywhere_then_purged(self) -> None:
        zone = snapshot(action="DELETE")
        conductor = FakeConductor([zone])
        backend = FakeBackend()
        backend.zones[zone["name"]] = zone
        Reconciler([backend], conductor).sync_zones(self.ctxt, [zone["id"]])
        self.assertEqual((set(), [zone["id"]]), (backend.zone_names(), conductor.purged))
        failing = FakeConductor([zone])
        Reconciler([FakeBackend(fail=True)], failing).sync_zones(self.ctxt, [zone["id"]])
        self.assertEqual([], failing.purged)

    def test_targeted_sync_leaves_other_zones_alone(self) -> None:
        conductor = FakeConductor([snapshot("a.org."), snapshot("b.org.")])
        backend = FakeBackend()
        backend.zones["other.org."] = {}
        Reconciler([backend], conductor).sync_zones(self.ctxt, ["id-a.org."])
        self.assertEqual({"a.org.", "other.org."}, backend.zone_names())

    def test_secondary_reports_the_transferred_serial(self) -> None:
        zone = snapshot(zone_type="SECONDARY", masters=["192.0.2.1:53"], serial=1,
                        status="ACTIVE")
        conductor = FakeConductor([zone])
        Reconciler([FakeBackend(serial=77)], conductor).sync_zones(self.ctxt)
        self.assertEqual([77], [r["transferred"] for r in conductor.synced])
        current = FakeConductor([dict(zone, serial=77)])
        Reconciler([FakeBackend(serial=77)], current).sync_zones(self.ctxt)
        self.assertEqual([], current.synced)  # nothing new to say

    def test_networks_converge(self) -> None:
        conductor = FakeConductor(networks=[{"id": "n1", "records": {"web": "10.0.0.5"}}])
        backend = FakeBackend()
        backend.networks["gone"] = {}
        reconciler = Reconciler([backend], conductor)
        reconciler.sync_networks(self.ctxt)
        self.assertEqual({"n1"}, backend.network_ids())
        conductor.networks = []
        reconciler.sync_networks(self.ctxt, ["n1"])
        self.assertEqual(set(), backend.network_ids())

    def test_backends_get_only_the_half_they_hold(self) -> None:
        zones_only = FakeBackend()
        zones_only.holds_networks = False
        conductor = FakeConductor([snapshot()], [{"id": "n1", "records": {}}])
        Reconciler([zones_only], conductor).run(self.ctxt)
        self.assertEqual((1, 0), (len(zones_only.zones), len(zones_only.networks)))

    def test_a_port_change_syncs_the_zones_it_touched_and_its_network(self) -> None:
        conductor = FakeConductor([snapshot("a.org."), snapshot("b.org.")],
                                  [{"id": "n1", "records": {}}])
        conductor.changed_zones = ["id-b.org."]
        backend = FakeBackend()
        reconciler = Reconciler([backend], conductor)
        reconciler.request_resource("port", "p1", "n1")
        reconciler.worker.process_pending()
        self.assertEqual([("port", "p1")], conductor.managed)
        self.assertEqual(({"b.org."}, {"n1"}), (backend.zone_names(), backend.network_ids()))

    def test_full_run_repairs_managed_records_first(self) -> None:
        conductor = FakeConductor([snapshot()])
        Reconciler([FakeBackend()], conductor).run(self.ctxt)
        self.assertEqual([("all", "")], conductor.managed)

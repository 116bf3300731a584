"""The HA monitor on real RPC with fake-driver hosts: a host whose agent dies is fenced,
its highly available servers restart elsewhere, the others keep their state with a
fault; the host's agent, back, destroys the evacuated guests and the fence is lifted."""
import argparse
import contextlib
import io

from common.db.api import compute_instances, compute_migrations, host_fences, placement
from common.db.api import services as services_db
from services.conductor import metrics
from services.manage import ha as manage_ha
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud


class HostMonitorTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(report_interval=0.3)
        self.flags(group="ha", host_down_after=6.0, check_interval=0.5)
        self.cloud = Cloud(self, ["a", "b", "c"])

    def boot_on_a(self, extra_specs: dict | None = None) -> str:
        (uuid,) = self.cloud.boot(fakes.flavor(extra_specs=extra_specs),
                                  force_hosts=["a"])
        self.cloud.wait_active(uuid)
        return uuid

    @staticmethod
    def ha_status() -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            manage_ha.status_of_hosts(argparse.Namespace())
        return out.getvalue()

    def test_ha_servers_of_a_dead_host_restart_elsewhere_once(self) -> None:
        highly_available = [self.boot_on_a({"ha:enabled": "true"}) for _ in range(2)]
        plain = self.boot_on_a()
        self.cloud.stop_compute("a")

        self.cloud.wait_active(*highly_available, timeout=30)
        self.wait_until(lambda: all(self.cloud.instance(u).host in ("b", "c")
                                    and self.cloud.instance(u).task_state is None
                                    for u in highly_available), timeout=30,
                        message="HA servers ACTIVE on b or c")
        for uuid in highly_available:
            (migration,) = compute_migrations.list_migrations(SYSTEM, instance_uuid=uuid)
            self.assertEqual("evacuation", migration.migration_type)
            self.wait_until(lambda m=migration: compute_migrations.get(
                SYSTEM, m.uuid).status == "done", timeout=30, message="evacuation done")
            host = self.cloud.instance(uuid).host
            self.assertEqual(1, sum(uuid in self.cloud.drivers[h].guests for h in "bc"))
            self.assertEqual({host}, set(placement.allocations_of(SYSTEM, uuid)))
            # the fenced host is taken for off: nothing of the server is counted there
            self.assertEqual({}, placement.allocations_of(SYSTEM, migration.uuid))
        self.assertEqual(("a", "active"), (self.cloud.instance(plain).host,
                                           self.cloud.instance(plain).vm_state))
        fault = compute_instances.latest_faults(SYSTEM, [plain])[plain]
        self.assertIn("Compute host a is down", fault.message)
        self.assertIn("a", host_fences.list_fences(SYSTEM))
        (service,) = services_db.list_services(SYSTEM, binary="strato-compute", host="a")
        self.assertTrue(service.forced_down)
        status = self.ha_status()
        self.assertRegex(status, r"\na +fenced ")
        self.assertRegex(status, r"\nb +up ")
        for uuid in highly_available:
            self.assertRegex(status, rf"\n[bc] +vm +{uuid} +ACTIVE +0")

        self.cloud.start_compute("a")
        self.wait_until(lambda: "a" not in host_fences.list_fences(SYSTEM), timeout=30,
                        message="the fence lifted")
        self.wait_until(lambda: not any(u in self.cloud.drivers["a"].guests
                                        for u in highly_available), timeout=30,
                        message="no evacuated guest left on a")
        self.assertIn(plain, self.cloud.drivers["a"].guests)
        for uuid in highly_available:
            (migration,) = compute_migrations.list_migrations(SYSTEM, instance_uuid=uuid)
            self.wait_until(lambda m=migration: compute_migrations.get(
                SYSTEM, m.uuid).status == "completed", timeout=30, message="completed")
            self.assertEqual({}, placement.allocations_of(SYSTEM, migration.uuid))

    def test_most_hosts_silent_at_once_fences_none(self) -> None:
        highly_available = self.boot_on_a({"ha:enabled": "true"})
        withheld = metrics.FENCES_WITHHELD._value.get()
        self.cloud.stop_compute("a")
        self.cloud.stop_compute("b")
        # a few looks that found them silent too long, and fenced neither
        self.wait_until(lambda: metrics.FENCES_WITHHELD._value.get() > withheld + 2,
                        timeout=30, message="looks that withheld fencing")
        self.assertEqual({}, host_fences.list_fences(SYSTEM))
        self.assertEqual("a", self.cloud.instance(highly_available).host)
        self.assertEqual([], compute_migrations.list_migrations(
            SYSTEM, instance_uuid=highly_available))

"""Servers moving between two fake hosts over the fake bus: live migration (done,
failed, aborted, to a named host that has no room) and cold migration, with their
records, allocations and guests checked on both hosts."""
import datetime

import sqlalchemy as sa

from common import compute_states, exceptions
from common.db import models, session
from common.db.api import compute_actions, compute_instances, compute_migrations, placement
from common.db.api import services as services_db
from common.db.types import utcnow
from services.compute import api as compute_api
from services.compute import rpcapi as compute_rpcapi
from services.conductor.tasks import resize
from services.conductor.tasks.base import Services
from services.conductor.tasks.evacuate import TYPE
from services.scheduler import rpcapi as scheduler_rpcapi
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud


class MigrationTestCase(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cloud = Cloud(self, ["a", "b"])
        (self.uuid,) = self.cloud.boot()
        self.cloud.wait_active(self.uuid)
        self.source = self.cloud.instance(self.uuid).host
        self.dest = "b" if self.source == "a" else "a"

    def status(self) -> str:
        instance = self.cloud.instance(self.uuid)
        return compute_states.status_of(instance.vm_state, instance.task_state)

    def wait_status(self, status: str, timeout: float = 15) -> None:
        self.wait_until(lambda: self.status() == status, timeout=timeout,
                        message=f"status {status}")

    def migration(self, status: str | None = None) -> compute_migrations.MigrationRecord:
        self.wait_until(
            lambda: compute_migrations.list_migrations(SYSTEM, instance_uuid=self.uuid),
            timeout=15, message="a migration record")
        (migration,) = compute_migrations.list_migrations(SYSTEM, instance_uuid=self.uuid)
        if status is not None:
            self.wait_until(lambda: compute_migrations.get(
                SYSTEM, migration.uuid).status == status, timeout=15,
                message=f"migration {status}")
        return compute_migrations.get(SYSTEM, migration.uuid)

    def live_migrate(self, host: str | None = None) -> None:
        self.cloud.begin(self.uuid, "live-migration")
        self.cloud.conductor.live_migrate_instance(self.cloud.ctxt, self.uuid, host, True)

    def assert_only_on(self, host: str) -> None:
        other = "b" if host == "a" else "a"
        self.assertEqual(host, self.cloud.instance(self.uuid).host)
        self.assertIn(self.uuid, self.cloud.drivers[host].guests)
        self.wait_until(lambda: self.uuid not in self.cloud.drivers[other].guests,
                        timeout=15, message=f"no guest left on {other}")
        self.wait_until(lambda: set(placement.allocations_of(SYSTEM, self.uuid)) == {host},
                        timeout=15, message=f"allocations on {host} only")
        self.assertEqual({}, placement.allocations_of(SYSTEM, self.migration().uuid))


class LiveMigrationTest(MigrationTestCase):
    def test_the_server_moves_with_its_allocations(self) -> None:
        self.live_migrate()
        self.assertEqual("completed", self.migration("completed").status)
        self.wait_status("ACTIVE")
        self.assert_only_on(self.dest)
        migration = self.migration()
        self.assertEqual(("live-migration", self.source, self.dest),
                         (migration.migration_type, migration.source_compute,
                          migration.dest_compute))
        self.wait_until(lambda: {"instance.live_migration_pre.start",
                                 "instance.live_migration_post.end"}
                        <= set(self.cloud.notifications.types_for(self.uuid)),
                        message="live migration notifications")

    def test_a_failed_migration_leaves_the_server_where_it_was(self) -> None:
        self.cloud.drivers[self.source].fail_live_migration = True
        self.live_migrate()
        self.assertEqual("error", self.migration("error").status)
        self.wait_status("ACTIVE")
        self.assert_only_on(self.source)
        self.wait_until(lambda: compute_instances.latest_faults(SYSTEM, [self.uuid]),
                        message="a fault says why")

    def test_an_abort_cancels_it(self) -> None:
        self.cloud.drivers[self.source].live_migration_delay = 30
        self.live_migrate()
        migration = self.migration("running")
        self.wait_until(lambda: self.uuid in self.cloud.computes[self.source]._migrating,
                        message="the source is migrating")
        self.cloud.compute.live_migration_abort(self.cloud.ctxt, self.source, self.uuid,
                                                migration.uuid)
        self.assertEqual("cancelled", self.migration("cancelled").status)
        self.wait_status("ACTIVE")
        self.assert_only_on(self.source)

    def test_a_named_host_without_room_changes_nothing(self) -> None:
        memory = placement.get_inventories(SYSTEM, self.dest)["MEMORY_MB"]
        free = placement.capacity(memory) - fakes.used(self.dest).get("MEMORY_MB", 0)
        self.assertIsNotNone(placement.claim(SYSTEM, "filler", self.dest,
                                             {"MEMORY_MB": free}))
        self.live_migrate(self.dest)
        self.assertEqual("error", self.migration("error").status)
        self.wait_status("ACTIVE")
        self.assert_only_on(self.source)


class ColdMigrationTest(MigrationTestCase):
    def test_migrate_confirm_lands_on_the_other_host(self) -> None:
        self.cloud.begin(self.uuid, "migrate")
        self.cloud.conductor.migrate_instance(self.cloud.ctxt, self.uuid, self.dest)
        self.wait_status("VERIFY_RESIZE")
        self.assertEqual("migration", self.migration().migration_type)
        self.cloud.begin(self.uuid, "confirmResize")
        self.cloud.conductor.confirm_resize(self.cloud.ctxt, self.uuid)
        self.wait_status("ACTIVE")
        self.assertEqual("confirmed", self.migration("confirmed").status)
        self.assert_only_on(self.dest)

    def test_migrate_revert_goes_back(self) -> None:
        self.cloud.begin(self.uuid, "migrate")
        self.cloud.conductor.migrate_instance(self.cloud.ctxt, self.uuid, None)
        self.wait_status("VERIFY_RESIZE")
        self.assertEqual(self.dest, self.cloud.instance(self.uuid).host)
        self.cloud.begin(self.uuid, "revertResize")
        self.cloud.conductor.revert_resize(self.cloud.ctxt, self.uuid)
        self.wait_status("ACTIVE")
        self.assertEqual("reverted", self.migration("reverted").status)
        self.assert_only_on(self.source)

    def test_an_unconfirmed_migration_is_confirmed_after_the_window(self) -> None:
        self.cloud.begin(self.uuid, "migrate")
        self.cloud.conductor.migrate_instance(self.cloud.ctxt, self.uuid, None)
        self.wait_status("VERIFY_RESIZE")
        services = Services(scheduler_rpcapi.SchedulerAPI(), compute_rpcapi.ComputeAPI(),
                            "conductor")
        resize.confirm_expired(SYSTEM, services)  # no window: nothing happens
        self.flags("compute", resize_confirm_window=60)
        resize.confirm_expired(SYSTEM, services)  # not expired yet
        self.assertEqual("VERIFY_RESIZE", self.status())
        old = utcnow() - datetime.timedelta(seconds=120)
        with session.transaction() as s:
            s.execute(sa.update(models.Migration).values(updated_at=old))
        resize.confirm_expired(SYSTEM, services)
        self.wait_status("ACTIVE")
        self.assertEqual("confirmed", self.migration("confirmed").status)
        self.assert_only_on(self.dest)
        actions = [a.action for a in compute_actions.list_actions(SYSTEM, self.uuid)]
        self.assertIn("confirmResize", actions)


class EvacuateTest(MigrationTestCase):
    def evacuate(self, host: str | None = None) -> None:
        compute_api.evacuate(self.cloud.ctxt, compute_instances.get(SYSTEM, self.uuid), host)

    def kill_source(self) -> None:
        self.cloud.stop_compute(self.source)
        (service,) = services_db.list_services(SYSTEM, binary="strato-compute",
                                               host=self.source)
        services_db.update(SYSTEM, service.uuid, forced_down=True)

    def test_a_server_of_an_up_host_is_not_evacuated(self) -> None:
        with self.assertRaises(exceptions.ComputeServiceInUse):
            self.evacuate()
        self.assertEqual("ACTIVE", self.status())
        self.assertEqual([], compute_migrations.list_migrations(SYSTEM,
                                                               instance_uuid=self.uuid))

    def test_the_server_is_rebuilt_elsewhere_and_the_dead_host_cleans_up(self) -> None:
        self.kill_source()
        self.evacuate()
        migration = self.migration("done")
        self.wait_status("ACTIVE")
        self.assertEqual((TYPE, self.source, self.dest),
                         (migration.migration_type, migration.source_compute,
                          migration.dest_compute))
        self.assertEqual(self.dest, self.cloud.instance(self.uuid).host)
        self.assertIn(self.uuid, self.cloud.drivers[self.dest].guests)
        # until the dead host is back, its guest (and what it holds) is still counted
        self.assertIn(self.uuid, self.cloud.drivers[self.source].guests)
        self.assertEqual({self.source},
                         set(placement.allocations_of(SYSTEM, migration.uuid)))
        self.assertEqual({self.dest}, set(placement.allocations_of(SYSTEM, self.uuid)))
        actions = compute_actions.list_actions(SYSTEM, self.uuid)
        self.assertIn("evacuate", [action.action for action in actions])

        self.cloud.start_compute(self.source)
        self.assertEqual("completed", self.migration("completed").status)
        self.assert_only_on(self.dest)
        self.assertIn("instance.evacuate", self.cloud.notifications.types_for(self.uuid))

    def test_no_room_elsewhere_leaves_it_on_the_dead_host_with_a_fault(self) -> None:
        memory = placement.get_inventories(SYSTEM, self.dest)["MEMORY_MB"]
        free = placement.capacity(memory) - fakes.used(self.dest).get("MEMORY_MB", 0)
        self.assertIsNotNone(placement.claim(SYSTEM, "filler", self.dest,
                                             {"MEMORY_MB": free}))
        self.kill_source()
        self.evacuate()
        self.assertEqual("error", self.migration("error").status)
        self.wait_status("ACTIVE")
        self.assertEqual(self.source, self.cloud.instance(self.uuid).host)
        self.assertEqual({self.source}, set(placement.allocations_of(SYSTEM, self.uuid)))
        fault = compute_instances.latest_faults(SYSTEM, [self.uuid])[self.uuid]
        self.assertIn("No valid host", fault.message)

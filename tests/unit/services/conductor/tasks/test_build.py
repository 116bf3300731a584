"""The build flow over the fake bus with fake compute hosts: schedule, build, reschedule
to an alternate, No valid host, and delete from any state."""
from common import exceptions
from common.compute_states import PowerState, TaskState, VMState
from common.db.api import compute_actions, compute_instances, placement
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud
from tests.unit.base.network import ADMIN


class BuildTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # "a" has more free RAM, so the (spreading) scheduler tries it first.
        self.flags("compute", fake_memory_mb=16384)
        self.cloud = Cloud(self, ["a", "b"])
        self.flags("compute", reserved_host_memory_mb=8192)
        self.cloud.computes["b"].report_resources(self.cloud.ctxt)

    def fault(self, uuid: str):
        return compute_instances.latest_faults(SYSTEM, [uuid]).get(uuid)

    def test_build_goes_active_with_events_and_notifications(self) -> None:
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        instance = self.cloud.instance(uuid)
        self.assertEqual(("a", PowerState.RUNNING, "nova"),
                         (instance.host, instance.power_state, instance.availability_zone))
        self.assertIsNotNone(instance.launched_at)
        self.assertIn(uuid, self.cloud.drivers["a"].guests)
        self.assertEqual({"a"}, set(placement.allocations_of(SYSTEM, uuid)))
        expected = [("conductor_schedule_and_build_instances", "Success"),
                    ("compute__do_build_and_run_instance", "Success")]

        def events() -> list[tuple[str, str]]:
            action, rows = compute_actions.get_action(self.cloud.ctxt, uuid,
                                                    self.cloud.ctxt.request_id)
            self.assertEqual("create", action.action)
            return [(event.event, event.result) for event in rows]

        self.wait_until(lambda: events() == expected, message=f"events {expected}")
        self.wait_until(lambda: {"instance.create.start", "instance.create.end"} <= set(
            self.cloud.notifications.types_for(uuid)), message="create notifications")

    def test_failed_build_is_rescheduled_to_another_host(self) -> None:
        self.cloud.drivers["a"].fail_spawn = True
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        self.assertEqual("b", self.cloud.instance(uuid).host)
        self.assertEqual({"b"}, set(placement.allocations_of(SYSTEM, uuid)))
        self.assertEqual({}, fakes.used("a"))
        self.assertNotIn(uuid, self.cloud.drivers["a"].guests)

    def test_failing_everywhere_ends_in_error_without_claims(self) -> None:
        for driver in self.cloud.drivers.values():
            driver.fail_spawn = True
        (uuid,) = self.cloud.boot()
        self.cloud.wait_for(uuid, VMState.ERROR)
        fault = self.fault(uuid)
        self.assertIn("Exceeded maximum number of retries", fault.message)
        self.assertIn("fake spawn failure", fault.details)
        self.assertEqual({}, placement.allocations_of(SYSTEM, uuid))
        self.assertIsNone(self.cloud.instance(uuid).host)
        self.wait_until(lambda: "instance.create.error" in
                        self.cloud.notifications.types_for(uuid), message="create.error")

    def test_max_attempts_is_honoured(self) -> None:
        self.flags("scheduler", max_attempts=1)
        self.cloud.drivers["a"].fail_spawn = True
        (uuid,) = self.cloud.boot()
        self.cloud.wait_for(uuid, VMState.ERROR)
        self.assertNotIn(uuid, self.cloud.drivers["b"].guests)

    def test_no_valid_host_when_every_host_is_full(self) -> None:
        (uuid,) = self.cloud.boot(fakes.flavor(vcpus=64))
        self.cloud.wait_for(uuid, VMState.ERROR)
        fault = self.fault(uuid)
        self.assertEqual(500, fault.code)
        self.assertTrue(fault.message.startswith("No valid host was found."), fault.message)
        self.assertEqual({}, placement.allocations_of(SYSTEM, uuid))
        self.assertEqual(({}, {}), (fakes.used("a"), fakes.used("b")))

    def test_a_batch_builds_together(self) -> None:
        uuids = self.cloud.boot(count=6)
        self.cloud.wait_active(*uuids)
        hosts = [self.cloud.instance(uuid).host for uuid in uuids]
        self.assertEqual({"a", "b"}, set(hosts))


class DeleteTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cloud = Cloud(self, ["a"])

    def assert_gone(self, uuid: str) -> None:
        self.cloud.wait_deleted(uuid)
        instance = self.cloud.instance(uuid)
        self.assertEqual((VMState.DELETED, None), (instance.vm_state, instance.task_state))
        self.assertIsNotNone(instance.deleted_at)
        self.assertEqual({}, placement.allocations_of(SYSTEM, uuid))
        self.assertNotIn(uuid, self.cloud.drivers["a"].guests)
        with self.assertRaises(exceptions.InstanceNotFound):
            compute_instances.get(SYSTEM, uuid)

    def test_delete_active(self) -> None:
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        self.cloud.delete(uuid)
        self.assert_gone(uuid)
        self.wait_until(lambda: {"instance.delete.start", "instance.delete.end"} <= set(
            self.cloud.notifications.types_for(uuid)), message="delete notifications")

    def test_delete_while_the_build_is_in_flight(self) -> None:
        self.cloud.drivers["a"].spawn_delay = 1.0
        (uuid,) = self.cloud.boot()
        # The same bound as wait_active: reaching SPAWNING is most of a boot (3-4 s here).
        self.wait_until(lambda: self.cloud.instance(uuid).task_state == TaskState.SPAWNING,
                        timeout=15, message="spawning")
        self.cloud.delete(uuid)
        self.assert_gone(uuid)

    def test_delete_before_it_was_scheduled(self) -> None:
        uuid = fakes.create_instance(fakes.flavor())
        self.cloud.delete(uuid)
        self.assert_gone(uuid)

    def test_delete_error_instance(self) -> None:
        (uuid,) = self.cloud.boot(fakes.flavor(vcpus=64))
        self.cloud.wait_for(uuid, VMState.ERROR)
        self.cloud.delete(uuid)
        self.assert_gone(uuid)

    def test_delete_twice_is_harmless(self) -> None:
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        self.cloud.delete(uuid)
        self.cloud.conductor.delete_instance(self.cloud.ctxt, uuid)
        self.assert_gone(uuid)

    def test_host_down_deletes_locally_and_the_host_reaps_later(self) -> None:
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        self.flags(service_down_time=0.5)
        self.wait_until(lambda: not self._host_up("a"), message="host a down")
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertIn(uuid, self.cloud.drivers["a"].guests)  # the host did not hear of it
        self.cloud.computes["a"].reap_deleted_instances(self.cloud.ctxt)
        self.wait_until(lambda: uuid not in self.cloud.drivers["a"].guests,
                        message="guest reaped")

    @staticmethod
    def _host_up(host: str) -> bool:
        from common.db.api import services
        return services.is_up(services.list_services(ADMIN, host=host)[0])

"""The compute agent over the fake bus with the fake driver: instance actions, console,
snapshot, resize, rebuild, power-state sync, reaping, restart recovery, and inventory
changes picked up from the config file without a restart."""
import os
from unittest import mock

from common import compute_states, exceptions
from common.compute_states import PowerState, TaskState, VMState
from common.db.api import compute_hosts, compute_instances, compute_migrations, placement
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud


class ComputeTestCase(base.DatabaseTestCase):
    hosts = ["a"]

    def setUp(self) -> None:
        super().setUp()
        self.cloud = Cloud(self, self.hosts)
        (self.uuid,) = self.cloud.boot()
        self.cloud.wait_active(self.uuid)
        self.driver = self.cloud.drivers["a"]
        self.manager = self.cloud.computes["a"]

    def status(self) -> str:
        instance = self.cloud.instance(self.uuid)
        return compute_states.status_of(instance.vm_state, instance.task_state)

    def wait_status(self, status: str) -> None:
        self.wait_until(lambda: self.status() == status, timeout=15,
                        message=f"status {status}")


class ActionsTest(ComputeTestCase):
    def test_power_cycle(self) -> None:
        steps = [("stop", "stop_instance", "SHUTOFF", PowerState.SHUTDOWN),
                 ("start", "start_instance", "ACTIVE", PowerState.RUNNING),
                 ("pause", "pause_instance", "PAUSED", PowerState.PAUSED),
                 ("unpause", "unpause_instance", "ACTIVE", PowerState.RUNNING),
                 ("suspend", "suspend_instance", "SUSPENDED", PowerState.SUSPENDED),
                 ("resume", "resume_instance", "ACTIVE", PowerState.RUNNING)]
        for action, method, status, power in steps:
            self.cloud.act(self.uuid, action, method)
            self.wait_status(status)
            self.assertEqual(power, self.cloud.instance(self.uuid).power_state, action)
            self.assertEqual(power, self.driver.guests[self.uuid].state, action)
        self.wait_until(lambda: {"instance.power_off.start", "instance.power_off.end",
                                 "instance.power_on.end", "instance.pause.end",
                                 "instance.suspend.end", "instance.resume.end"}
                        <= set(self.cloud.notifications.types_for(self.uuid)),
                        message="power notifications")

    def test_reboot_soft_and_hard(self) -> None:
        for kind, action in (("SOFT", "reboot"), ("HARD", "reboot_hard")):
            self.cloud.act(self.uuid, action, "reboot_instance", reboot_type=kind)
            self.wait_status("ACTIVE")
            self.assertIn(f"rebooted ({kind})", self.driver.guests[self.uuid].console)

    def test_actions_refused_in_the_wrong_state(self) -> None:
        with self.assertRaises(exceptions.InstanceInvalidState):
            self.cloud.begin(self.uuid, "start")
        self.cloud.act(self.uuid, "stop", "stop_instance")
        with self.assertRaises(exceptions.InstanceInvalidState):
            self.cloud.begin(self.uuid, "stop")  # powering-off or stopped either way

    def test_failed_action_records_a_fault_and_clears_the_task(self) -> None:
        def broken(instance: dict) -> None:
            raise exceptions.HypervisorError(instance_uuid=instance["uuid"], reason="boom")

        self.driver.pause = broken
        self.cloud.act(self.uuid, "pause", "pause_instance")
        self.wait_until(lambda: compute_instances.latest_faults(SYSTEM, [self.uuid]),
                        message="fault recorded")
        self.wait_status("ACTIVE")
        fault = compute_instances.latest_faults(SYSTEM, [self.uuid])[self.uuid]
        self.assertIn("boom", fault.message)

    def test_console_output(self) -> None:
        output = self.cloud.compute.get_console_output(self.cloud.ctxt, "a", self.uuid)
        self.assertIn("STRATO-FAKE-READY", output)
        # Nova's tail: the last pieces between newlines (the "" after the last one too).
        last = self.cloud.compute.get_console_output(self.cloud.ctxt, "a", self.uuid, 2)
        self.assertEqual("STRATO-FAKE-READY\n", last)

    def test_snapshot_writes_the_image_file(self) -> None:
        self.cloud.act(self.uuid, "createImage", "snapshot_instance", image_id="snap-1")
        path = os.path.join(self.state_path, "images", "snap-1")
        self.wait_until(lambda: os.path.exists(path), message="snapshot file")
        self.wait_status("ACTIVE")
        with open(path, "rb") as f:
            self.assertIn(self.uuid.encode(), f.read())

    def test_rebuild_keeps_a_stopped_instance_stopped(self) -> None:
        self.cloud.act(self.uuid, "rebuild", "rebuild_instance")
        self.wait_status("ACTIVE")
        self.cloud.act(self.uuid, "stop", "stop_instance")
        self.wait_status("SHUTOFF")
        self.cloud.act(self.uuid, "rebuild", "rebuild_instance")
        self.wait_until(lambda: "instance.rebuild.end" in
                        self.cloud.notifications.types_for(self.uuid), message="rebuilt")
        self.wait_status("SHUTOFF")
        self.assertEqual(PowerState.SHUTDOWN, self.driver.guests[self.uuid].state)


class ResizeTest(ComputeTestCase):
    def resize(self, vcpus: int) -> None:
        flavor = fakes.flavor(vcpus=vcpus, name=f"m1.{vcpus}cpu")
        self.cloud.begin(self.uuid, "resize")
        self.cloud.conductor.resize_instance(self.cloud.ctxt, self.uuid, flavor)
        self.wait_status("VERIFY_RESIZE")

    def test_resize_then_confirm(self) -> None:
        self.resize(2)
        migration = compute_migrations.in_progress_for(self.cloud.ctxt, self.uuid)
        # Both flavors are held until the user decides.
        self.assertEqual(3, fakes.used("a")["VCPU"])
        self.assertEqual({"a": {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1}},
                         placement.allocations_of(SYSTEM, migration.uuid))
        self.cloud.begin(self.uuid, "confirmResize")
        self.cloud.conductor.confirm_resize(self.cloud.ctxt, self.uuid)
        self.wait_status("ACTIVE")
        instance = self.cloud.instance(self.uuid)
        self.assertEqual((2, None), (instance.flavor["vcpus"], instance.old_flavor))
        self.wait_until(lambda: fakes.used("a")["VCPU"] == 2, message="old flavor released")
        settled = compute_migrations.get(self.cloud.ctxt, migration.uuid)
        self.assertEqual("confirmed", settled.status)

    def test_resize_then_revert(self) -> None:
        self.resize(2)
        self.cloud.begin(self.uuid, "revertResize")
        self.cloud.conductor.revert_resize(self.cloud.ctxt, self.uuid)
        self.wait_status("ACTIVE")
        instance = self.cloud.instance(self.uuid)
        self.assertEqual(("m1.test", 1), (instance.flavor_id, instance.flavor["vcpus"]))
        self.wait_until(lambda: fakes.used("a")["VCPU"] == 1, message="new flavor released")
        self.assertEqual(PowerState.RUNNING, self.driver.guests[self.uuid].state)

    def test_resize_without_room_goes_back_with_a_fault(self) -> None:
        self.cloud.begin(self.uuid, "resize")
        self.cloud.conductor.resize_instance(self.cloud.ctxt, self.uuid,
                                             fakes.flavor(vcpus=500, name="huge"))
        self.wait_until(lambda: compute_instances.latest_faults(SYSTEM, [self.uuid]),
                        message="fault")
        self.wait_status("ACTIVE")
        self.assertEqual({"a"}, set(placement.allocations_of(SYSTEM, self.uuid)))
        self.assertEqual(1, fakes.used("a")["VCPU"])


class ReconcileTest(ComputeTestCase):
    def test_guest_stopped_outside_strato_shows_shutoff(self) -> None:
        self.driver.guests[self.uuid].state = PowerState.SHUTDOWN
        self.manager.sync_power_states(self.cloud.ctxt)
        self.wait_status("SHUTOFF")
        self.assertEqual(PowerState.SHUTDOWN, self.cloud.instance(self.uuid).power_state)

    def test_guest_running_while_stopped_is_powered_off(self) -> None:
        self.cloud.act(self.uuid, "stop", "stop_instance")
        self.wait_status("SHUTOFF")
        self.driver.guests[self.uuid].state = PowerState.RUNNING
        self.manager.sync_power_states(self.cloud.ctxt)
        self.wait_until(lambda: self.driver.guests[self.uuid].state == PowerState.SHUTDOWN,
                        message="guest powered off")
        self.assertEqual("SHUTOFF", self.status())

    def test_a_failed_power_off_is_retried_before_the_next_pass(self) -> None:
        self.cloud.act(self.uuid, "stop", "stop_instance")
        self.wait_status("SHUTOFF")
        self.driver.guests[self.uuid].state = PowerState.RUNNING
        real_power_off = self.driver.power_off
        attempts = []

        def fails_once(instance: dict, timeout: int) -> None:
            attempts.append(instance["uuid"])
            if len(attempts) == 1:
                raise exceptions.HypervisorError(instance_uuid=instance["uuid"],
                                                 reason="libvirtd restarting")
            real_power_off(instance, timeout)

        with mock.patch.object(self.driver, "power_off", autospec=True,
                               side_effect=fails_once):
            self.manager.sync_power_states(self.cloud.ctxt)  # one pass only
            self.wait_until(lambda: self.driver.guests[self.uuid].state
                            == PowerState.SHUTDOWN, message="guest powered off on retry")
        self.assertEqual([self.uuid, self.uuid], attempts)

    def test_orphan_guests_are_reaped(self) -> None:
        self.driver.spawn({"uuid": "stray", "flavor": fakes.flavor()}, {})
        self.manager.reap_deleted_instances(self.cloud.ctxt)
        self.wait_until(lambda: self.driver.list_instances() == [self.uuid],
                        message="stray guest reaped")

    def test_a_host_reachable_again_reaps_what_was_deleted_without_it(self) -> None:
        """The conductor deletes a down host's instances itself; their guests go when
        the host's heartbeat gets through again, not a reaping interval later."""
        self.flags(service_down_time=0.5)
        compute_instances.soft_delete(SYSTEM, self.uuid)
        self.manager.reachable_again(self.cloud.ctxt)
        self.wait_until(lambda: self.driver.list_instances() == [],
                        message="guest of the deleted instance reaped")
        self.driver.spawn({"uuid": "stray", "flavor": fakes.flavor()}, {})
        self.wait_until(lambda: self.driver.list_instances() == [], timeout=5,
                        message="reaped again a service_down_time later")

    def test_restart_finishes_interrupted_work(self) -> None:
        building = fakes.create_instance(fakes.flavor(), host="a",
                                         task_state=TaskState.SPAWNING)
        rebooting = self.uuid
        compute_instances.update(SYSTEM, rebooting, {"task_state": TaskState.REBOOT_STARTED})
        self.cloud.restart_compute("a").sync_power_states(self.cloud.ctxt)
        self.wait_status("ACTIVE")
        self.assertEqual(VMState.ERROR, self.cloud.instance(building).vm_state)
        self.assertEqual("ACTIVE", self.status())


class InventoryTest(ComputeTestCase):
    def write_config(self, extra: str) -> None:
        with open(self.config_file) as f:
            original = f.read()
        with open(self.config_file, "w") as f:
            f.write(original + extra)
        os.utime(self.config_file, (0, 1))  # a different mtime even within one second

    def test_ratios_and_reserved_follow_the_config_file(self) -> None:
        inventories = placement.get_inventories(SYSTEM, "a")
        self.assertEqual(4.0, inventories["VCPU"]["allocation_ratio"])  # initial
        self.assertEqual(512, inventories["MEMORY_MB"]["reserved"])
        self.write_config("[compute]\ncpu_allocation_ratio = 2.5\n"
                          "reserved_host_memory_mb = 2048\nreserved_host_disk_mb = 3000\n")
        self.manager.report_resources(self.cloud.ctxt)
        inventories = placement.get_inventories(SYSTEM, "a")
        self.assertEqual(2.5, inventories["VCPU"]["allocation_ratio"])
        self.assertEqual(2048, inventories["MEMORY_MB"]["reserved"])
        self.assertEqual(3, inventories["DISK_GB"]["reserved"])

    def test_the_hypervisor_is_described(self) -> None:
        (node,) = compute_hosts.list_nodes(self.cloud.ctxt)
        self.assertEqual(("a", "fake", 16, {"arch": "x86_64"}),
                         (node.host, node.hypervisor_type, node.vcpus, node.cpu_info))

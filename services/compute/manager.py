"""Server side of the compute agent's RPC API. Agents never open the database.

Every instance operation runs under that instance's lock, is recorded as an instance
action event (compute_<method>), fetches the instance fresh from the conductor, and
ends with a guarded update: ``expected_task_state`` is the state the api set, so an
operation that lost a race (typically to a delete) does not overwrite it. A failing
operation leaves a fault and clears its task_state, as Nova does.
"""
import contextlib
import datetime
import hashlib
import os
import traceback
from collections.abc import Callable

import oslo_messaging as messaging
from oslo_log import log as logging

from common import context, exceptions, notifications
from common.compute_states import PowerState, TaskState, VMState
from common.config import CONF
from common.faults import fault_of
from common.manager import Manager, periodic
from services.compute import config_reload, images, inventory, locks, reconcile
from services.compute import rpcapi as compute_rpcapi
from services.compute.virt import driver as virt_driver
from services.compute.virt import loader as virt_loader
from services.conductor import rpcapi as conductor_rpcapi

LOG = logging.getLogger(__name__)
PUBLISHER = "strato-compute"
SUCCESS, ERROR = "Success", "Error"
RETRY_REPORT = 5.0  # seconds before a failed inventory report is tried again


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat()




class ComputeManager(Manager):
    target = messaging.Target(version="1.3")

    def __init__(self, host: str, driver: virt_driver.ComputeDriver | None = None,
                 image_fetcher: images.ImageFetcher | None = None,
                 config: config_reload.ConfigWatcher | None = None) -> None:
        super().__init__(host)
        self.driver = driver or virt_loader.load(CONF.compute.compute_driver)
        self.images = image_fetcher or images.LocalImageFetcher()
        self.conductor = conductor_rpcapi.ConductorAPI()
        self.compute_rpc = compute_rpcapi.ComputeAPI()
        self.locks = locks.InstanceLocks()
        self.config = config or config_reload.ConfigWatcher(CONF)
        self.reconciler = reconcile.Reconciler(self.host, self.driver, self.conductor,
                                              self.locks, self.terminate)
        self._reported = False
        # The guests this host is live-migrating away: uuid → instance (an abort pops it).
        self._migrating: dict[str, dict] = {}

    def init_host(self) -> None:
        self.driver.init_host(self.host)
        # Everything the agent does goes through the conductor: wait for one, as Nova's
        # compute does, instead of losing the first inventory report.
        ctxt = context.get_admin_context()
        conductor_rpcapi.wait_for_conductor(ctxt)
        # Before anything else: a guest evacuated while this host was dead must not run.
        self.reconciler.destroy_evacuated(ctxt)
        self.reconciler.start()

    def cleanup_host(self) -> None:
        self.reconciler.stop()
        self.driver.cleanup_host()

    # --- plumbing -----------------------------------------------------------------------

    def notify(self, ctxt: context.RequestContext, instance: dict, action: str,
               phase: str | None, fault: object = None) -> None:
        notifications.notify_instance(ctxt, instance, action, phase, PUBLISHER, self.host,
                                      fault=fault)

    def run_operation(self, ctxt: context.RequestContext, uuid: str, event: str,
                      body: Callable[[dict], None], revert_task_state: bool = True) -> None:
        """Run ``body(instance)`` under the instance's lock, recorded as an action event;
        on failure record a fault and clear task_state. Errors end here: these RPCs are
        casts, nobody waits for them."""
        with self.locks.hold(uuid):
            self.conductor.action_event_start(ctxt, uuid, f"compute_{event}", self.host)
            try:
                body(self.conductor.instance_get(ctxt, uuid))
            except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState) as error:
                # Deleted or taken over by another action meanwhile: not a failure of ours.
                LOG.info("%s of %s stopped: %s", event, uuid, error.msg)
                self._event_done(ctxt, uuid, event, SUCCESS)
            except Exception as error:
                LOG.exception("%s of instance %s failed", event, uuid)
                self._event_done(ctxt, uuid, event, ERROR, traceback.format_exc())
                self._record_failure(ctxt, uuid, error, revert_task_state)
            else:
                self._event_done(ctxt, uuid, event, SUCCESS)

    def _event_done(self, ctxt: context.RequestContext, uuid: str, event: str, result: str,
                    tb: str | None = None) -> None:
        try:
            self.conductor.action_event_finish(ctxt, uuid, f"compute_{event}", result, tb)
        except exceptions.StratoError:
            LOG.debug("no action event to finish for %s", uuid)

    def _record_failure(self, ctxt: context.RequestContext, uuid: str,
                        error: BaseException, revert_task_state: bool) -> None:
        try:
            self.conductor.instance_fault(ctxt, uuid, fault_of(error), self.host)
            if revert_task_state:
                self.conductor.instance_update(ctxt, uuid, {"task_state": None})
        except exceptions.InstanceNotFound:
            pass

    def finish(self, ctxt: context.RequestContext, instance: dict, expected: str | list,
               **values: object) -> dict:
        """The final guarded update of an operation, with the guest's power state."""
        values.setdefault("task_state", None)
        values.setdefault("power_state", self.driver.get_info(instance).state)
        return self.conductor.instance_update(ctxt, instance["uuid"], values,
                                              expected_task_state=expected)

    def set_task(self, ctxt: context.RequestContext, instance: dict, new: str,
                 expected: str | list) -> dict:
        return self.conductor.instance_update(ctxt, instance["uuid"], {"task_state": new},
                                              expected_task_state=expected)

    # --- build and delete -----------------------------------------------------------------

    def build_and_run_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                               request_spec: dict, alternates: list[dict],
                               attempt: int = 1, network_info: list | None = None) -> None:
        def body(instance: dict) -> None:
            if instance["host"] != self.host or instance["task_state"] != TaskState.SCHEDULING:
                LOG.info("not building %s: task_state %s on host %s", instance_uuid,
                         instance["task_state"], instance["host"])
                return
            self.notify(ctxt, instance, "create", "start")
            try:
                self._spawn(ctxt, instance, request_spec, network_info or [])
            except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
                self.driver.destroy(instance)  # deleted while spawning: leave nothing
                raise
            except Exception as error:
                LOG.exception("build of %s failed on %s", instance_uuid, self.host)
                self.driver.destroy(instance)
                self.notify(ctxt, instance, "create", "error", fault=error)
                self.conductor.build_failed(
                    ctxt, instance_uuid, self.host, fault_of(error), request_spec,
                    alternates, attempt,
                    reschedule=not isinstance(error, exceptions.BuildAbortException
                                              | exceptions.ImageNotFound))
                return

        self.run_operation(ctxt, instance_uuid, "_do_build_and_run_instance", body,
                           revert_task_state=False)

    def _spawn(self, ctxt: context.RequestContext, instance: dict, request_spec: dict,
               network_info: list[dict]) -> None:
        instance = self.set_task(ctxt, instance, TaskState.SPAWNING, TaskState.SCHEDULING)
        image_meta = request_spec.get("image") or instance.get("image_meta") or {}
        self.driver.spawn(instance, image_meta, network_info=network_info)
        instance = self.finish(ctxt, instance, TaskState.SPAWNING, vm_state=VMState.ACTIVE,
                               launched_at=_now())
        self.notify(ctxt, instance, "create", "end")

    def terminate_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        def body(instance: dict) -> None:
            self.terminate(ctxt, instance)

        self.run_operation(ctxt, instance_uuid, "terminate_instance", body,
                           revert_task_state=False)

    def terminate(self, ctxt: context.RequestContext, instance: dict) -> None:
        """Destroy the guest and its disks, then have the instance deleted and released.
        A failed destroy leaves the instance ERROR, so the delete can be retried."""
        self.notify(ctxt, instance, "delete", "start")
        try:
            self.driver.destroy(instance, destroy_disks=True)
        except Exception as error:
            self.conductor.instance_fault(ctxt, instance["uuid"], fault_of(error),
                                          self.host, set_error=True)
            raise
        deleted = self.conductor.instance_delete_complete(ctxt, instance["uuid"])
        self.notify(ctxt, deleted or instance, "delete", "end")

    # --- power ----------------------------------------------------------------------------

    def _power_action(self, ctxt: context.RequestContext, uuid: str, event: str,
                      action: str, expected: str, vm_state: str,
                      call: Callable[[dict], None]) -> None:
        def body(instance: dict) -> None:
            self.notify(ctxt, instance, action, "start")
            call(instance)
            instance = self.finish(ctxt, instance, expected, vm_state=vm_state)
            self.notify(ctxt, instance, action, "end")

        self.run_operation(ctxt, uuid, event, body)

    def stop_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                      clean_shutdown: bool = True) -> None:
        timeout = CONF.compute.shutdown_timeout if clean_shutdown else 0
        self._power_action(ctxt, instance_uuid, "stop_instance", "power_off",
                           TaskState.POWERING_OFF, VMState.STOPPED,
                           lambda instance: self.driver.power_off(instance, timeout))

    def start_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        self._power_action(ctxt, instance_uuid, "start_instance", "power_on",
                           TaskState.POWERING_ON, VMState.ACTIVE, self.driver.power_on)

    def pause_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        self._power_action(ctxt, instance_uuid, "pause_instance", "pause",
                           TaskState.PAUSING, VMState.PAUSED, self.driver.pause)

    def unpause_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        self._power_action(ctxt, instance_uuid, "unpause_instance", "unpause",
                           TaskState.UNPAUSING, VMState.ACTIVE, self.driver.unpause)

    def suspend_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        self._power_action(ctxt, instance_uuid, "suspend_instance", "suspend",
                           TaskState.SUSPENDING, VMState.SUSPENDED, self.driver.suspend)

    def resume_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        self._power_action(ctxt, instance_uuid, "resume_instance", "resume",
                           TaskState.RESUMING, VMState.ACTIVE, self.driver.resume)

    def reboot_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                        reboot_type: str = "SOFT") -> None:
        hard = reboot_type.upper() == "HARD"
        pending = (TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD) if hard else (
            TaskState.REBOOTING, TaskState.REBOOT_PENDING)
        started = TaskState.REBOOT_STARTED_HARD if hard else TaskState.REBOOT_STARTED
        def body(instance: dict) -> None:
            self.notify(ctxt, instance, "reboot", "start")
            instance = self.set_task(ctxt, instance, started, list(pending))
            self.driver.reboot(instance, "HARD" if hard else "SOFT",
                               CONF.compute.shutdown_timeout)
            instance = self.finish(ctxt, instance, started, vm_state=VMState.ACTIVE)
            self.notify(ctxt, instance, "reboot", "end")

        self.run_operation(ctxt, instance_uuid, "reboot_instance", body)

    # --- images and console ---------------------------------------------------------------

    def snapshot_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                          image_id: str) -> None:
        def body(instance: dict) -> None:
            try:
                meta = self._snapshot(ctxt, instance, image_id)
            except Exception:
                self.conductor.snapshot_done(ctxt, instance_uuid, image_id, None)
                raise
            self.conductor.snapshot_done(ctxt, instance_uuid, image_id, meta)
            instance = self.finish(ctxt, instance, TaskState.IMAGE_UPLOADING)
            self.notify(ctxt, instance, "snapshot", "end")

        self.run_operation(ctxt, instance_uuid, "snapshot_instance", body)

    def _snapshot(self, ctxt: context.RequestContext, instance: dict, image_id: str) -> dict:
        self.notify(ctxt, instance, "snapshot", "start")
        instance = self.set_task(ctxt, instance, TaskState.IMAGE_UPLOADING,
                                 [TaskState.IMAGE_SNAPSHOT_PENDING, TaskState.IMAGE_SNAPSHOT])
        workdir = os.path.join(CONF.compute.instances_path, "snapshots")
        os.makedirs(workdir, exist_ok=True)
        target = os.path.join(workdir, image_id)
        disk_format = CONF.compute.snapshot_image_format
        try:
            self.driver.snapshot(instance, target, disk_format)
            meta = snapshot_meta(instance, target, disk_format)
            self.images.upload(image_id, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        return meta

    def get_console_output(self, ctxt: context.RequestContext, instance_uuid: str,
                           length: int | None = None) -> str:
        instance = self.conductor.instance_get(ctxt, instance_uuid)
        output = self.driver.get_console_output(instance)
        if length is None:
            return output
        # Nova's tail: the last ``length`` pieces between newlines, a trailing "" included.
        return "\n".join(output.split("\n")[-length:]) if length > 0 else ""

    def rebuild_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        def body(instance: dict) -> None:
            was_stopped = instance["vm_state"] == VMState.STOPPED
            self.notify(ctxt, instance, "rebuild", "start")
            instance = self.set_task(ctxt, instance, TaskState.REBUILD_SPAWNING,
                                     TaskState.REBUILDING)
            network_info = self.conductor.instance_network_info(ctxt, instance_uuid)
            self.driver.destroy(instance, destroy_disks=True)
            self.driver.spawn(instance, instance.get("image_meta") or {},
                              network_info=network_info)
            if was_stopped:
                self.driver.power_off(instance, 0)
            instance = self.finish(ctxt, instance, TaskState.REBUILD_SPAWNING,
                                   vm_state=VMState.STOPPED if was_stopped else VMState.ACTIVE,
                                   launched_at=_now())
            self.notify(ctxt, instance, "rebuild", "end")

        self.run_operation(ctxt, instance_uuid, "rebuild_instance", body)

    def evacuate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                          migration_uuid: str, network_info: list[dict]) -> None:
        """On the destination of an evacuation: the server built afresh from its image
        with its ports, stopped if it was; the conductor told either way."""
        def body(instance: dict) -> None:
            was_stopped = instance["vm_state"] == VMState.STOPPED
            self.notify(ctxt, instance, "rebuild", "start")
            try:
                instance = self.set_task(ctxt, instance, TaskState.REBUILD_SPAWNING,
                                         TaskState.REBUILDING)
                self.driver.spawn(instance, instance.get("image_meta") or {},
                                  network_info=network_info)
                if was_stopped:
                    self.driver.power_off(instance, 0)
            except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
                self.driver.destroy(instance)  # deleted meanwhile: leave nothing
                raise
            except Exception as error:
                self.driver.destroy(instance)
                self.conductor.evacuation_failed(ctxt, instance_uuid, migration_uuid,
                                                 fault_of(error))
                raise
            instance = self.finish(ctxt, instance, TaskState.REBUILD_SPAWNING,
                                   vm_state=VMState.STOPPED if was_stopped else VMState.ACTIVE,
                                   launched_at=_now())
            self.conductor.evacuation_done(ctxt, instance_uuid, migration_uuid)
            self.notify(ctxt, instance, "rebuild", "end")

        self.run_operation(ctxt, instance_uuid, "evacuate_instance", body,
                           revert_task_state=False)

    # --- resize -----------------------------------------------------------------------------

    def resize_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                        migration_uuid: str, flavor: dict) -> None:
        def body(instance: dict) -> None:
            try:
                self.notify(ctxt, instance, "resize", "start")
                instance = self.set_task(ctxt, instance, TaskState.RESIZE_MIGRATING,
                                         TaskState.RESIZE_PREP)
                migration = self.conductor.migration_update(ctxt, migration_uuid,
                                                            {"status": "migrating"})
                disk_info = self.driver.migrate_disk_and_power_off(
                    instance, migration["dest_compute"], flavor,
                    CONF.compute.shutdown_timeout)
            except Exception:
                self._resize_rollback(ctxt, instance, migration_uuid)
                raise
            disk_info["power_on"] = instance["vm_state"] != VMState.STOPPED
            self.conductor.migration_update(ctxt, migration_uuid, {"status": "post-migrating"})
            self.set_task(ctxt, instance, TaskState.RESIZE_MIGRATED, TaskState.RESIZE_MIGRATING)
            self.compute_rpc.finish_resize(ctxt, migration["dest_compute"], instance_uuid,
                                           migration_uuid, disk_info)

        self.run_operation(ctxt, instance_uuid, "resize_instance", body)

    def _resize_rollback(self, ctxt: context.RequestContext, instance: dict,
                         migration_uuid: str) -> None:
        """A resize that failed before the guest moved: back as it was."""
        self.conductor.resize_allocations(ctxt, instance["uuid"], migration_uuid, "revert")
        self.conductor.migration_update(ctxt, migration_uuid, {"status": "error"})
        self.conductor.instance_update(ctxt, instance["uuid"], {"new_flavor": None})
        if self.driver.get_info(instance).state == PowerState.SHUTDOWN and \
                instance["vm_state"] == VMState.ACTIVE:
            self.driver.power_on(instance)

    def finish_resize(self, ctxt: context.RequestContext, instance_uuid: str,
                      migration_uuid: str, disk_info: dict) -> None:
        def body(instance: dict) -> None:
            instance = self.set_task(ctxt, instance, TaskState.RESIZE_FINISH,
                                     TaskState.RESIZE_MIGRATED)
            if instance["host"] != self.host:
                self.conductor.bind_ports(ctxt, instance_uuid, self.host)
            old_flavor, new_flavor = instance["flavor"], instance["new_flavor"]
            instance = self.conductor.instance_update(ctxt, instance_uuid, {
                "host": self.host, "node": self.host, "flavor": new_flavor,
                "flavor_id": new_flavor["id"], "old_flavor": old_flavor,
                "new_flavor": None})
            self.driver.finish_migration(instance, disk_info, instance.get("image_meta") or {},
                                         power_on=disk_info.get("power_on", True))
            self.conductor.migration_update(ctxt, migration_uuid, {"status": "finished"})
            instance = self.finish(ctxt, instance, TaskState.RESIZE_FINISH,
                                   vm_state=VMState.RESIZED)
            self.notify(ctxt, instance, "resize_finish", "end")

        self.run_operation(ctxt, instance_uuid, "finish_resize", body)

    def confirm_resize(self, ctxt: context.RequestContext, instance_uuid: str,
                       migration_uuid: str) -> None:
        def body(instance: dict) -> None:
            self.notify(ctxt, instance, "resize_confirm", "start")
            migration = self.conductor.migration_update(ctxt, migration_uuid, {})
            same_host = migration["source_compute"] == migration["dest_compute"]
            self.driver.confirm_migration(instance, same_host)
            self.conductor.resize_allocations(ctxt, instance_uuid, migration_uuid, "confirm")
            self.conductor.migration_update(ctxt, migration_uuid, {"status": "confirmed"})
            power = self._power_state_on(instance, migration["dest_compute"])
            instance = self.conductor.instance_update(ctxt, instance_uuid, {
                "old_flavor": None, "task_state": None,
                "vm_state": VMState.STOPPED if power == PowerState.SHUTDOWN else VMState.ACTIVE},
                expected_vm_state=VMState.RESIZED)
            self.notify(ctxt, instance, "resize_confirm", "end")

        self.run_operation(ctxt, instance_uuid, "confirm_resize", body)

    def _power_state_on(self, instance: dict, host: str) -> int:
        # The source cannot see the dest's hypervisor; the last reported state will do.
        if host == self.host:
            return self.driver.get_info(instance).state
        return instance.get("power_state") or PowerState.NOSTATE

    def revert_resize(self, ctxt: context.RequestContext, instance_uuid: str,
                      migration_uuid: str) -> None:
        def body(instance: dict) -> None:
            self.notify(ctxt, instance, "resize_revert", "start")
            migration = self.conductor.migration_update(ctxt, migration_uuid, {})
            if migration["source_compute"] != migration["dest_compute"]:
                self.driver.destroy(instance, destroy_disks=True)
            self.compute_rpc.finish_revert_resize(ctxt, migration["source_compute"],
                                                  instance_uuid, migration_uuid)

        self.run_operation(ctxt, instance_uuid, "revert_resize", body)

    def finish_revert_resize(self, ctxt: context.RequestContext, instance_uuid: str,
                             migration_uuid: str) -> None:
        def body(instance: dict) -> None:
            power_on = instance["power_state"] != PowerState.SHUTDOWN
            if instance["host"] != self.host:
                self.conductor.bind_ports(ctxt, instance_uuid, self.host)
            old_flavor = instance["old_flavor"] or instance["flavor"]
            instance = self.conductor.instance_update(ctxt, instance_uuid, {
                "host": self.host, "node": self.host, "flavor": old_flavor,
                "flavor_id": old_flavor["id"], "old_flavor": None, "new_flavor": None})
            self.driver.finish_revert_migration(instance, instance.get("image_meta") or {},
                                                power_on)
            self.conductor.resize_allocations(ctxt, instance_uuid, migration_uuid, "revert")
            self.conductor.migration_update(ctxt, migration_uuid, {"status": "reverted"})
            instance = self.finish(ctxt, instance, TaskState.RESIZE_REVERTING,
                                   vm_state=VMState.ACTIVE if power_on else VMState.STOPPED)
            self.notify(ctxt, instance, "resize_revert", "end")

        self.run_operation(ctxt, instance_uuid, "finish_revert_resize", body)

    # --- live migration --------------------------------------------------------------------

    @contextlib.contextmanager
    def _recorded(self, ctxt: context.RequestContext, uuid: str, event: str):
        """An action event around a step whose errors go back to its caller."""
        self.conductor.action_event_start(ctxt, uuid, f"compute_{event}", self.host)
        try:
            yield
        except Exception:
            self._event_done(ctxt, uuid, event, ERROR, traceback.format_exc())
            raise
        self._event_done(ctxt, uuid, event, SUCCESS)

    def pre_live_migration(self, ctxt: context.RequestContext, instance_uuid: str,
                           migration_uuid: str, block_migration: bool,
                           network_info: list[dict]) -> dict:
        """On the destination (an RPC call): the guest's disks, files and NICs ready;
        what the source needs to send the guest here."""
        with self.locks.hold(instance_uuid), \
                self._recorded(ctxt, instance_uuid, "pre_live_migration"):
            instance = self.conductor.instance_get(ctxt, instance_uuid)
            return self.driver.pre_live_migration(
                instance, instance.get("image_meta") or {}, network_info, block_migration)

    def live_migration(self, ctxt: context.RequestContext, instance_uuid: str,
                       migration_uuid: str, dest: str, migrate_data: dict,
                       block_migration: bool) -> None:
        """On the source: move the guest; the conductor records the outcome. A
        migration that fails leaves the guest running here (the driver's promise)."""
        def body(instance: dict) -> None:
            self.notify(ctxt, instance, "live_migration", "start")
            self._migrating[instance_uuid] = instance
            try:
                self.driver.live_migration(instance, migrate_data, block_migration)
            except Exception as error:
                cancelled = self._migrating.pop(instance_uuid, None) is None
                self.conductor.live_migration_failed(ctxt, instance_uuid, migration_uuid,
                                                     str(error), cancelled)
                if not cancelled:
                    raise  # recorded as the event's error and the instance's fault
                LOG.info("live migration of %s to %s aborted", instance_uuid, dest)
                return
            self._migrating.pop(instance_uuid, None)
            self.conductor.live_migration_completed(ctxt, instance_uuid, migration_uuid)
            try:
                self.driver.post_live_migration_at_source(instance)
            except Exception:
                LOG.exception("cleaning up after %s left for %s failed", instance_uuid, dest)
            self.notify(ctxt, instance, "live_migration", "end")

        self.run_operation(ctxt, instance_uuid, "live_migration", body,
                           revert_task_state=False)

    def post_live_migration_at_destination(self, ctxt: context.RequestContext,
                                           instance_uuid: str) -> None:
        def body(instance: dict) -> None:
            self.driver.post_live_migration_at_destination(instance)
            self.conductor.instance_update(ctxt, instance_uuid, {
                "power_state": self.driver.get_info(instance).state})
            self.notify(ctxt, instance, "live_migration_post_dest", "end")

        self.run_operation(ctxt, instance_uuid, "post_live_migration_at_destination", body,
                           revert_task_state=False)

    def rollback_live_migration_at_destination(self, ctxt: context.RequestContext,
                                               instance_uuid: str) -> None:
        def body(instance: dict) -> None:
            if instance["host"] == self.host:
                LOG.warning("not dropping %s: it runs here", instance_uuid)
                return
            self.driver.rollback_live_migration_at_destination(instance)
            self.notify(ctxt, instance, "live_migration_rollback_dest", "end")

        self.run_operation(ctxt, instance_uuid, "rollback_live_migration_at_destination",
                           body, revert_task_state=False)

    def live_migration_abort(self, ctxt: context.RequestContext, instance_uuid: str,
                             migration_uuid: str) -> None:
        """Not under the instance's lock: the migration holds it."""
        instance = self._migrating.pop(instance_uuid, None)
        if instance is None:
            LOG.info("no live migration of %s runs here to abort", instance_uuid)
            return
        self.notify(ctxt, instance, "live_migration_abort", "start")
        self.driver.live_migration_abort(instance)

    def live_migration_force_complete(self, ctxt: context.RequestContext,
                                      instance_uuid: str, migration_uuid: str) -> None:
        instance = self._migrating.get(instance_uuid)
        if instance is None:
            LOG.info("no live migration of %s runs here to complete", instance_uuid)
            return
        self.notify(ctxt, instance, "live_migration_force_complete", "start")
        self.driver.live_migration_force_complete(instance)

    # --- periodic -----------------------------------------------------------------------------

    def _report_spacing(self) -> float:
        # After a failed report, try again soon: until one succeeds the scheduler does
        # not know this host (or still sees its old inventory).
        interval = CONF.compute.update_resources_interval
        return interval if self._reported else min(interval, RETRY_REPORT)

    def periodic_tasks(self) -> list:
        # Not @periodic: its spacing depends on this agent's last report.
        return [*super().periodic_tasks(), (self.report_resources, self._report_spacing, True)]

    def report_resources(self, ctxt: context.RequestContext) -> None:
        """Inventory (ratios and reserved amounts re-read from the config) and traits."""
        self._reported = False
        self.config.reload_if_changed()
        resources = self.driver.get_available_resources()
        self.conductor.provider_update(ctxt, self.host,
                                       inventory.inventories(resources, CONF),
                                       resources.traits(), resources.node())
        self._reported = True

    @periodic(lambda: CONF.compute.sync_power_state_interval, run_immediately=True)
    def sync_power_states(self, ctxt: context.RequestContext) -> None:
        self.reconciler.sync_power_states(ctxt)

    @periodic(lambda: CONF.compute.running_deleted_instance_poll_interval)
    def reap_deleted_instances(self, ctxt: context.RequestContext) -> None:
        self.reconciler.reap(ctxt)

    def reachable_again(self, ctxt: context.RequestContext) -> None:
        self.reconciler.reap_after_outage()


def snapshot_meta(instance: dict, path: str, disk_format: str) -> dict:
    """The image record of a snapshot file: sizes, checksums and inherited properties."""
    md5, sha512 = hashlib.md5(usedforsecurity=False), hashlib.sha512()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            md5.update(chunk)
            sha512.update(chunk)
    base = instance.get("image_meta") or {}
    inherited = {key: value for key, value in (base.get("properties") or {}).items()
                 if key in ("kernel_id", "ramdisk_id", "os_command_line", "architecture",
                            "hw_architecture", "hypervisor_type", "img_hv_type", "os_distro",
                            "os_type") or key.startswith("hw_")}
    return {"disk_format": disk_format, "container_format": "bare",
            "size": os.path.getsize(path), "checksum": md5.hexdigest(),
            "os_hash_algo": "sha512", "os_hash_value": sha512.hexdigest(),
            "min_disk": instance["flavor"].get("root_gb", 0),
            "properties": {**inherited, "image_type": "snapshot",
                           "instance_uuid": instance["uuid"],
                           "base_image_ref": instance.get("image_ref") or "",
                           "user_id": instance.get("user_id"),
                           "owner_project_id": instance.get("project_id")}}

"""The compute agent's reconcile loops: desired state (conductor) vs the hypervisor.

- power-state sync: record what the hypervisor says; a guest that stopped outside
  Strato makes its instance SHUTOFF (vm_state stopped), a guest running while its
  instance is stopped is powered off (Nova's _sync_instance_power_state);
- on the first sync after a start, instances left mid-operation by a dead agent are
  finished: a pending delete is carried out, a build in flight goes to ERROR, other
  task states are cleared;
- evacuated guests: at start, before anything else, and on every reaping pass, the
  guests of servers evacuated away while this host was dead are destroyed and their
  old allocations released;
- reaping: a guest whose instance is deleted, or not on this host, is destroyed; after
  the host was unreachable (others may have deleted its instances without it) at once
  and once more a ``service_down_time`` later, for a delete decided just before.

The periodic passes only list and compare; each instance (power sync) or stray guest
(reaping) they find is a key of the agent's work queue (common.workqueue), handled
under that instance's lock on the queue's thread and retried with back-off when the
conductor or the hypervisor fails it, instead of waiting for the next pass.
"""
from collections.abc import Callable

from oslo_log import log as logging

from common import context, exceptions, workqueue
from common.compute_states import BUILD_TASK_STATES, PowerState, TaskState, VMState
from common.config import CONF
from services.compute.locks import InstanceLocks
from services.compute.virt.driver import ComputeDriver
from services.conductor.rpcapi import ConductorAPI

LOG = logging.getLogger(__name__)
_OFF = (PowerState.SHUTDOWN, PowerState.CRASHED)

Terminate = Callable[[context.RequestContext, dict], None]
# ("power", uuid): sync its power state; ("orphan", uuid): reap that guest;
# ("reap", host): list the host's guests and queue the orphans
Key = tuple[str, str]
POWER = "power"
ORPHAN = "orphan"
REAP = "reap"


class Reconciler:
    """Compares one host's instances (through the conductor) with its hypervisor.

    ``terminate`` is the agent's own delete path, used to finish a delete a restart
    interrupted; every call on an instance holds that instance's lock.
    """

    def __init__(self, host: str, driver: ComputeDriver, conductor: ConductorAPI,
                 locks: InstanceLocks, terminate: Terminate) -> None:
        self.host = host
        self.driver = driver
        self.conductor = conductor
        self.locks = locks
        self.terminate = terminate
        self._recovered = False
        self.worker: workqueue.QueueWorker[Key] = workqueue.QueueWorker(
            "compute", self._process)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def _process(self, batch: list[Key]) -> list[Key]:
        """Handle one batch of keys; the keys that failed."""
        ctxt = context.get_admin_context()
        failed = []
        handlers = {POWER: self._sync_one, ORPHAN: self._reap_one,
                    REAP: lambda ctxt, _host: self.reap(ctxt)}
        for key in batch:
            kind, name = key
            try:
                handlers[kind](ctxt, name)
            except Exception as error:
                LOG.warning("%s of %s failed: %s", kind, name, error)
                failed.append(key)
        return failed

    def sync_power_states(self, ctxt: context.RequestContext) -> None:
        """Queue every settled instance of this host whose guest's power state differs
        from the record (after finishing, on the first pass, what a restart left)."""
        instances = self.conductor.instances_for_host(ctxt, self.host)
        if not self._recovered:
            self._recover(ctxt, instances)
            self._recovered = True
            instances = self.conductor.instances_for_host(ctxt, self.host)
        self.worker.add_all((POWER, instance["uuid"]) for instance in instances
                            if instance["task_state"] is None
                            and instance["host"] == self.host and self._drifted(instance))

    def _drifted(self, listed: dict) -> bool:
        """A cheap first look from the listing, without the lock; True when the guest
        cannot be read now (the queued sync reads it again and retries)."""
        try:
            return self._changes(listed, self.driver.get_info(listed).state) != ({}, False)
        except Exception:
            return True

    def _changes(self, instance: dict, power: int) -> tuple[dict, bool]:
        """(values to record, whether to power the guest off) for one instance."""
        values: dict = {}
        if power != instance["power_state"]:
            values["power_state"] = power
        vm_state = instance["vm_state"]
        if vm_state in (VMState.ACTIVE, VMState.PAUSED, VMState.SUSPENDED) and power in _OFF:
            values["vm_state"] = VMState.STOPPED
        power_off = vm_state == VMState.STOPPED and power not in (*_OFF, PowerState.NOSTATE)
        return values, power_off

    def _sync_one(self, ctxt: context.RequestContext, uuid: str) -> None:
        with self.locks.hold(uuid):
            try:
                instance = self.conductor.instance_get(ctxt, uuid)
            except exceptions.InstanceNotFound:
                return
            if instance["task_state"] is not None or instance["host"] != self.host:
                return  # an operation is under way: it will set the state itself
            values, power_off = self._changes(instance, self.driver.get_info(instance).state)
            if "vm_state" in values:
                LOG.info("instance %s is %s but its guest is off: SHUTOFF", uuid,
                         instance["vm_state"])
            if power_off:
                LOG.info("instance %s is stopped but its guest runs: powering it off", uuid)
                self.driver.power_off(instance, 0)
                values["power_state"] = self.driver.get_info(instance).state
            if values:
                try:
                    self.conductor.instance_update(ctxt, uuid, values,
                                                   expected_task_state=[None])
                except exceptions.UnexpectedTaskState:
                    pass  # an action started meanwhile; it decides

    def _recover(self, ctxt: context.RequestContext, instances: list[dict]) -> None:
        for instance in instances:
            task = instance["task_state"]
            if task is None or instance["host"] != self.host:
                continue
            try:
                self._recover_one(ctxt, instance, task)
            except Exception:
                LOG.exception("could not recover instance %s from %s", instance["uuid"], task)

    def _recover_one(self, ctxt: context.RequestContext, instance: dict, task: str) -> None:
        uuid = instance["uuid"]
        with self.locks.hold(uuid):
            if task == TaskState.DELETING:
                LOG.info("finishing the delete of %s interrupted by a restart", uuid)
                self.terminate(ctxt, instance)
            elif task in BUILD_TASK_STATES:
                LOG.info("build of %s was interrupted by a restart: ERROR", uuid)
                self.driver.destroy(instance)
                self.conductor.instance_fault(
                    ctxt, uuid, {"message": "Instance build was interrupted by a restart "
                                            "of its compute agent.", "code": 500,
                                 "details": ""}, self.host, set_error=True)
            elif instance["vm_state"] != VMState.RESIZED:
                self.conductor.instance_update(ctxt, uuid, {"task_state": None},
                                               expected_task_state=task)

    def destroy_evacuated(self, ctxt: context.RequestContext) -> None:
        """Destroy the guests of servers evacuated away from this host while it was
        dead or cut off, and have their old allocations released. A failure is logged:
        the next reaping pass tries again."""
        try:
            evacuations = self.conductor.evacuations_from(ctxt, self.host)
        except Exception:
            LOG.exception("could not list the evacuations away from %s", self.host)
            return
        present = set(self.driver.list_instances()) if evacuations else set()
        for migration in evacuations:
            uuid = migration["instance_uuid"]
            try:
                with self.locks.hold(uuid):
                    if uuid in present:
                        LOG.warning("destroying guest %s: it was evacuated to %s", uuid,
                                    migration["dest_compute"])
                        self.driver.destroy({"uuid": uuid}, destroy_disks=True)
                self.conductor.evacuation_cleaned(ctxt, migration["uuid"])
            except Exception:
                LOG.exception("could not clean up evacuated guest %s", uuid)

    def reap(self, ctxt: context.RequestContext) -> None:
        """Queue the guests no live instance of this host owns, to be destroyed
        (evacuated ones at once)."""
        self.destroy_evacuated(ctxt)
        known = {i["uuid"] for i in self.conductor.instances_for_host(ctxt, self.host)}
        self.worker.add_all((ORPHAN, uuid) for uuid in self.driver.list_instances()
                            if uuid not in known)

    def reap_after_outage(self) -> None:
        """Reap now and once more when a delete decided on the last stale heartbeat
        has surely finished."""
        self.worker.add((REAP, self.host))
        self.worker.add_after((REAP, self.host), CONF.service_down_time)

    def _reap_one(self, ctxt: context.RequestContext, uuid: str) -> None:
        with self.locks.hold(uuid):
            if self._still_orphan(ctxt, uuid):
                LOG.warning("destroying guest %s: no live instance of this host", uuid)
                self.driver.destroy({"uuid": uuid}, destroy_disks=True)

    def _still_orphan(self, ctxt: context.RequestContext, uuid: str) -> bool:
        # Re-check under the lock: a build may have started since the listing.
        try:
            instance = self.conductor.instance_get(ctxt, uuid, read_deleted="yes")
        except exceptions.InstanceNotFound:
            return True
        if instance["deleted"]:
            return True
        live = self.conductor.instances_for_host(ctxt, self.host)
        return uuid not in {i["uuid"] for i in live}

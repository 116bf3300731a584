"""Evacuation: a server of a dead compute host rebuilt from its image on another host,
its ports (so its MACs and IPs) kept and bound there, as Nova's evacuate.

1. here: a migration record ``evacuation`` (accepted); the server's allocations on the
   dead host move to the migration (its uuid is their consumer); the scheduler picks
   and claims a destination (the admin's host, filters applied unless forced, or any
   host but the source); the ports are bound to the destination's chassis, the server's
   host becomes the destination, and the destination agent is told to build it;
2. the destination agent builds the guest afresh and reports ``done`` (the migration
   is done) or ``failed`` (ERROR with the fault; the migration failed);
3. the dead host's agent, when it runs again, destroys the guests evacuated away from it
   before it does anything else, and reports each ``cleaned``: the old allocations go
   (already at step 2 when the HA monitor fenced the host) and the migration is
   completed.
A failure in step 1 gives everything back: the server stays on the dead host with a
fault, the claim on the destination released.
"""
from typing import cast

from oslo_log import log as logging

from common import context, exceptions, notifications
from common.compute_states import TaskState
from common.db.api import compute_instances, compute_migrations, host_fences, placement
from common.faults import fault_of
from services.conductor import metrics
from services.conductor.tasks import PUBLISHER, ports
from services.conductor.tasks.base import Services, TaskBase, destination_away_from

LOG = logging.getLogger(__name__)
TYPE = "evacuation"
# What the dead host may still hold a guest and allocations of: Nova's statuses, and
# "failed" (the destination could not build it); once cleaned, "completed" / "error".
UNCLEANED = ("accepted", "pre-migrating", "done", "failed")


class EvacuateTask(TaskBase):
    """Step 1, then the cast of step 2."""

    handled = (Exception,)

    def __init__(self, ctxt: context.RequestContext, services: Services, uuid: str,
                 host: str | None, force: bool = False) -> None:
        super().__init__(ctxt, services)
        self.uuid = uuid
        self.requested_host = host
        self.force = force
        self.migration: compute_migrations.MigrationRecord | None = None
        self.claimed = False

    def _execute(self) -> None:
        instance = compute_instances.get(self.ctxt, self.uuid)
        source = cast(str, instance.host)  # the api checked the server has one
        self.migration = compute_migrations.create(self.ctxt, {
            "instance_uuid": self.uuid, "status": "accepted", "migration_type": TYPE,
            "source_compute": source, "source_node": instance.node,
            "dest_compute": self.requested_host, "dest_node": self.requested_host,
            "old_flavor_id": instance.flavor_id, "new_flavor_id": instance.flavor_id})
        _notify(self.ctxt, instance, None)
        placement.move_allocations(self.ctxt, self.uuid, self.migration.uuid)
        dest = destination_away_from(self.ctxt, self.services, self.uuid, source,
                                     self.requested_host, self.force)
        self.claimed = True
        self.migration = compute_migrations.update(self.ctxt, self.migration.uuid, {
            "dest_compute": dest, "dest_node": dest, "status": "pre-migrating"})
        network_info = ports.bind_to(self.ctxt, self.uuid, dest)
        compute_instances.update(self.ctxt, self.uuid, {"host": dest, "node": dest},
                                 expected_task_state=[TaskState.REBUILDING])
        LOG.info("evacuating %s from %s to %s", self.uuid, source, dest)
        self.services.compute.evacuate_instance(self.ctxt, dest, self.uuid,
                                                self.migration.uuid, network_info)
        metrics.EVACUATIONS.labels("started").inc()

    def rollback(self, error: Exception) -> None:
        LOG.info("evacuation of %s failed before it was sent: %s", self.uuid, error)
        if self.migration is not None:
            if self.claimed:
                placement.release(self.ctxt, self.uuid)
            placement.move_allocations(self.ctxt, self.migration.uuid, self.uuid)
            compute_migrations.update(self.ctxt, self.migration.uuid, {"status": "error"})
            ports.bind_to(self.ctxt, self.uuid, cast(str, self.migration.source_compute))
            try:
                compute_instances.update(self.ctxt, self.uuid, {
                    "host": self.migration.source_compute,
                    "node": self.migration.source_node})
            except exceptions.InstanceNotFound:
                return
        fault = fault_of(error)
        try:
            compute_instances.add_fault(self.ctxt, self.uuid, fault["code"],
                                        fault["message"], fault["details"])
            compute_instances.update(self.ctxt, self.uuid, {"task_state": None},
                                     expected_task_state=[TaskState.REBUILDING])
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            pass  # deleted meanwhile


def done(ctxt: context.RequestContext, uuid: str, migration_uuid: str) -> None:
    """Step 2 succeeded. The source's allocations stay until its agent is back (step
    3), unless the host is fenced: taken for off, it holds nothing any more."""
    _release_if_fenced(ctxt, migration_uuid)
    compute_migrations.update(ctxt, migration_uuid, {"status": "done"})
    metrics.EVACUATIONS.labels("done").inc()


def failed(ctxt: context.RequestContext, uuid: str, migration_uuid: str,
           fault: dict) -> None:
    """Step 2 failed on the destination: ERROR there, with the fault."""
    _release_if_fenced(ctxt, migration_uuid)
    compute_migrations.update(ctxt, migration_uuid, {"status": "failed"})
    compute_instances.set_error(ctxt, uuid, fault.get("code", 500), fault["message"],
                                fault.get("details", ""), None)
    metrics.EVACUATIONS.labels("failed").inc()


def from_host(ctxt: context.RequestContext, host: str) -> list[dict]:
    """Step 3's list: the evacuations whose source is ``host`` not yet cleaned up."""
    return [compute_migrations.to_dict(migration) for migration in
            compute_migrations.list_migrations(ctxt, migration_type=TYPE,
                                               source_compute=host)
            if migration.status in UNCLEANED]


def cleaned(ctxt: context.RequestContext, migration_uuid: str) -> None:
    """The source holds no guest of the evacuated server: its old allocations go. An
    evacuation still under way on its destination is completed when it is done."""
    placement.release(ctxt, migration_uuid)
    compute_migrations.update_if(ctxt, migration_uuid, ("done",), {"status": "completed"})
    compute_migrations.update_if(ctxt, migration_uuid, ("failed",), {"status": "error"})


def _release_if_fenced(ctxt: context.RequestContext, migration_uuid: str) -> None:
    """A fenced source is taken for off: the allocations it held go at once (before
    the status says the step is over)."""
    source = compute_migrations.get(ctxt, migration_uuid).source_compute
    if source in host_fences.list_fences(ctxt):
        placement.release(ctxt, migration_uuid)


def _notify(ctxt: context.RequestContext, instance: compute_instances.InstanceRecord,
            phase: str | None) -> None:
    notifications.notify_instance(ctxt, compute_instances.to_dict(instance), "evacuate",
                                  phase, PUBLISHER, instance.host or "")



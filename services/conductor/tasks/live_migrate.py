"""Live migration of a running (or paused) server to another host, its IP and MAC kept.

The flow, as Nova's live-migrate task and compute manager run it:
1. here: a migration record; the server's allocations on the source move to the
   migration (its uuid is their consumer); the scheduler picks the destination (the
   admin's host, filters applied, or any other host) and claims the flavor there for
   the server; the ports may be bound on the destination's chassis too (OVN
   ``requested-chassis`` with both, ``activation-strategy=rarp``);
2. the destination agent prepares (disks on its image cache, the guest's files, its
   NICs plugged) and answers with what the source needs (``pre_live_migration``);
3. the source agent runs the migration (libvirt peer-to-peer, disks copied when the
   storage is not shared) and reports back: ``complete`` (the server's host is the
   destination, the ports are bound there alone, the source's allocations go) or
   ``fail`` (everything as before on the source, the destination's claim and files go).
"""
from typing import cast

from oslo_log import log as logging

from common import context, exceptions, notifications
from common.compute_states import TaskState
from common.db.api import compute_instances, compute_migrations, network_instances, placement
from common.faults import fault_of
from services.conductor.tasks import ports
from services.conductor.tasks.base import Services, TaskBase, destination_away_from

LOG = logging.getLogger(__name__)
PUBLISHER = "strato-conductor"
TYPE = "live-migration"


class LiveMigrationTask(TaskBase):
    """Steps 1 and 2, then the cast of step 3; a failure before the cast rolls back."""

    handled = (Exception,)

    def __init__(self, ctxt: context.RequestContext, services: Services, uuid: str,
                 host: str | None, block_migration: bool, force: bool = False) -> None:
        super().__init__(ctxt, services)
        self.uuid = uuid
        self.requested_host = host
        self.block_migration = block_migration
        self.force = force
        self.migration: compute_migrations.MigrationRecord | None = None

    def _execute(self) -> None:
        instance = compute_instances.get(self.ctxt, self.uuid)
        source = cast(str, instance.host)  # the api checked the server has one
        self.migration = compute_migrations.create(self.ctxt, {
            "instance_uuid": self.uuid, "status": "preparing", "migration_type": TYPE,
            "source_compute": source, "source_node": instance.node,
            "dest_compute": self.requested_host, "dest_node": self.requested_host,
            "old_flavor_id": instance.flavor_id, "new_flavor_id": instance.flavor_id})
        _notify(self.ctxt, instance, "live_migration_pre", "start")
        placement.move_allocations(self.ctxt, self.uuid, self.migration.uuid)
        dest = destination_away_from(self.ctxt, self.services, self.uuid, source,
                                     self.requested_host, self.force)
        self.migration = compute_migrations.update(self.ctxt, self.migration.uuid, {
            "dest_compute": dest, "dest_node": dest})
        ports.share_with(self.ctxt, self.uuid, dest)
        network_info = ports.network_info(network_instances.instance_vifs(self.ctxt,
                                                                          self.uuid))
        migrate_data = self.services.compute.pre_live_migration(
            self.ctxt, dest, self.uuid, self.migration.uuid, self.block_migration,
            network_info)
        if not compute_migrations.update_if(self.ctxt, self.migration.uuid, ("preparing",),
                                            {"status": "running"}):
            raise Cancelled(reason="the live migration was aborted before it ran")
        self.services.compute.live_migration(self.ctxt, source, self.uuid,
                                             self.migration.uuid, dest, migrate_data,
                                             self.block_migration)


    def rollback(self, error: Exception) -> None:
        LOG.info("live migration of %s failed before it started: %s", self.uuid, error)
        if self.migration is None:
            _clear_task_state(self.ctxt, self.uuid)
            return
        cancelled = isinstance(error, Cancelled)
        fail(self.ctxt, self.services, self.uuid, self.migration.uuid,
             None if cancelled else error, "cancelled" if cancelled else "error")


class Cancelled(exceptions.MigrationError):
    """An abort (2.65) came while the migration was queued or being prepared."""


def complete(ctxt: context.RequestContext, services: Services, uuid: str,
             migration_uuid: str) -> None:
    """The guest runs on the destination: make the records say so."""
    migration = compute_migrations.get(ctxt, migration_uuid)
    dest = cast(str, migration.dest_compute)
    ports.bind_to(ctxt, uuid, dest)
    placement.release(ctxt, migration_uuid)
    instance = compute_instances.update(ctxt, uuid, {
        "host": dest, "node": migration.dest_node or dest, "task_state": None},
        expected_task_state=[TaskState.MIGRATING])
    compute_migrations.update(ctxt, migration_uuid, {"status": "completed"})
    services.compute.post_live_migration_at_destination(ctxt, dest, uuid)
    _notify(ctxt, instance, "live_migration_post", "end")


def fail(ctxt: context.RequestContext, services: Services, uuid: str, migration_uuid: str,
         error: Exception | None, status: str = "error") -> None:
    """The guest stays on the source: give back the destination's claim, files and
    binding; the migration ends ``status`` (error, or cancelled by an abort)."""
    migration = compute_migrations.get(ctxt, migration_uuid)
    source = cast(str, migration.source_compute)
    ports.bind_to(ctxt, uuid, source)
    placement.release(ctxt, uuid)
    placement.move_allocations(ctxt, migration_uuid, uuid)
    compute_migrations.update(ctxt, migration_uuid, {"status": status})
    if migration.dest_compute and migration.dest_compute != source:
        try:
            services.compute.rollback_live_migration_at_destination(
                ctxt, migration.dest_compute, uuid)
        except Exception:
            LOG.exception("could not tell %s to drop its copy of %s",
                          migration.dest_compute, uuid)
    if error is not None:
        fault = fault_of(error)
        try:
            compute_instances.add_fault(ctxt, uuid, fault["code"], fault["message"],
                                        fault["details"])
        except exceptions.InstanceNotFound:
            return
    instance = _clear_task_state(ctxt, uuid)
    if instance is not None:
        _notify(ctxt, instance, "live_migration_rollback", "end")


def _clear_task_state(ctxt: context.RequestContext,
                      uuid: str) -> compute_instances.InstanceRecord | None:
    try:
        return compute_instances.update(ctxt, uuid, {"task_state": None},
                                        expected_task_state=[TaskState.MIGRATING])
    except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
        return None  # deleted or reset meanwhile


def _notify(ctxt: context.RequestContext, instance: compute_instances.InstanceRecord,
            action: str, phase: str) -> None:
    notifications.notify_instance(ctxt, compute_instances.to_dict(instance), action, phase,
                                  PUBLISHER, instance.host or "")

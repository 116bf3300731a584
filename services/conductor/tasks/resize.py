"""Resizing an instance to another flavor (same host allowed), confirm and revert;
a cold migration is a resize to the same flavor on another host.

During a resize the old flavor's allocations belong to the migration (its uuid is the
consumer) and the new flavor's to the instance, so both are accounted for until the
user confirms (old ones released) or reverts (new ones released, old ones returned).
"""
from typing import cast

from oslo_log import log as logging

from common import context, exceptions
from common.compute_states import TaskState
from common.config import CONF
from common.db.api import compute_instances, compute_migrations, placement
from common.faults import fault_of
from services.conductor.tasks.base import Services, TaskBase

LOG = logging.getLogger(__name__)


class ResizeTask(TaskBase):
    """Move the old flavor's allocations to a migration, schedule the new flavor and
    cast the resize to the source host. Whatever fails before that cast (no host, the
    scheduler gone) gives the allocations back and leaves a fault on the instance."""

    handled = (Exception,)

    def __init__(self, ctxt: context.RequestContext, services: Services, uuid: str,
                 flavor: dict | None, host: str | None = None) -> None:
        """``flavor`` None: a cold migration (to ``host`` when given)."""
        super().__init__(ctxt, services)
        self.uuid = uuid
        self.flavor = flavor
        self.host = host
        self.migration_uuid: str | None = None

    def _execute(self) -> None:
        uuid = self.uuid
        instance = compute_instances.get(self.ctxt, uuid)
        cold = self.flavor is None
        flavor = instance.flavor if self.flavor is None else self.flavor
        migration = compute_migrations.create(self.ctxt, {
            "instance_uuid": uuid, "status": "pre-migrating",
            "migration_type": "migration" if cold else "resize",
            "source_compute": instance.host, "source_node": instance.node,
            "old_flavor_id": instance.flavor_id, "new_flavor_id": flavor["id"]})
        placement.move_allocations(self.ctxt, uuid, migration.uuid)
        self.migration_uuid = migration.uuid
        same_host = not cold and CONF.compute.allow_resize_to_same_host
        spec = {**compute_instances.get_request_spec(self.ctxt, uuid), "flavor": flavor,
                "force_hosts": None, "requested_host": self.host,
                "ignore_hosts": [] if same_host else [instance.host]}
        selections = self.services.scheduler.select_destinations(
            self.ctxt, spec, [uuid], return_alternates=False)
        dest = selections[0][0]
        compute_migrations.update(self.ctxt, migration.uuid, {
            "dest_compute": dest["host"], "dest_node": dest["node"], "status": "migrating"})
        compute_instances.update(self.ctxt, uuid, {"new_flavor": flavor},
                                 expected_task_state=[TaskState.RESIZE_PREP])
        source = cast(str, instance.host)  # a resize starts where the server runs
        self.services.compute.resize_instance(self.ctxt, source, uuid, migration.uuid,
                                              flavor)

    def rollback(self, error: Exception) -> None:
        uuid = self.uuid
        LOG.info("resize of %s failed: %s", uuid, error)
        if self.migration_uuid is not None:
            placement.move_allocations(self.ctxt, self.migration_uuid, uuid)
            compute_migrations.update(self.ctxt, self.migration_uuid, {"status": "error"})
        fault = fault_of(error)
        try:
            compute_instances.add_fault(self.ctxt, uuid, fault["code"], fault["message"],
                                        fault["details"])
            compute_instances.update(self.ctxt, uuid, {"task_state": None},
                                     expected_task_state=[TaskState.RESIZE_PREP])
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            pass  # deleted meanwhile


class _SettleResize(TaskBase):
    """Confirm or revert a finished resize on the host that holds what it settles."""

    expected, new_status = "finished", ""

    def __init__(self, ctxt: context.RequestContext, services: Services, uuid: str) -> None:
        super().__init__(ctxt, services)
        self.uuid = uuid

    def _execute(self) -> None:
        migration = compute_migrations.in_progress_for(self.ctxt, self.uuid)
        if migration is None or migration.status != self.expected:
            LOG.warning("instance %s has no %s migration to act on", self.uuid,
                        self.expected)
            return
        self._cast(compute_migrations.update(self.ctxt, migration.uuid,
                                             {"status": self.new_status}))

    def _cast(self, migration: compute_migrations.MigrationRecord) -> None:
        raise NotImplementedError


class ConfirmResizeTask(_SettleResize):
    new_status = "confirming"

    def _cast(self, migration: compute_migrations.MigrationRecord) -> None:
        source = cast(str, migration.source_compute)  # a finished resize has both hosts
        self.services.compute.confirm_resize(self.ctxt, source, self.uuid, migration.uuid)


class RevertResizeTask(_SettleResize):
    new_status = "reverting"

    def _cast(self, migration: compute_migrations.MigrationRecord) -> None:
        dest = cast(str, migration.dest_compute)
        self.services.compute.revert_resize(self.ctxt, dest, self.uuid, migration.uuid)


def confirm_expired(ctxt: context.RequestContext, services: Services) -> None:
    """Confirm the resizes left in VERIFY_RESIZE longer than
    ``[compute] resize_confirm_window`` (recorded as a confirmResize action)."""
    window = CONF.compute.resize_confirm_window
    if not window:
        return
    for migration in compute_migrations.finished_before(ctxt, window):
        try:
            compute_instances.begin_action(ctxt, migration.instance_uuid, "confirmResize",
                                           ctxt.request_id, None, None)
        except (exceptions.InstanceNotFound, exceptions.InstanceInvalidState):
            continue  # deleted, or confirmed or reverted meanwhile
        LOG.info("confirming the resize of %s: unconfirmed for %ss",
                 migration.instance_uuid, window)
        ConfirmResizeTask(ctxt, services, migration.instance_uuid).execute()


def finish_allocations(ctxt: context.RequestContext, instance_uuid: str, migration_uuid: str,
                       outcome: str) -> None:
    """Settle a resize's allocations: 'confirm' or 'revert'."""
    if outcome == "confirm":
        placement.release(ctxt, migration_uuid)
    elif outcome == "revert":
        placement.move_allocations(ctxt, migration_uuid, instance_uuid)
    else:
        raise exceptions.BadRequest(f"unknown resize outcome {outcome}")

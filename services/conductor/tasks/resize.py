"""Resizing an instance to another flavor (same host allowed), confirm and revert.

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
from services.compute import rpcapi as compute_rpcapi
from services.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)


class ResizeTask:
    def __init__(self, ctxt: context.RequestContext, scheduler: scheduler_rpcapi.SchedulerAPI,
                 compute: compute_rpcapi.ComputeAPI) -> None:
        self.ctxt = ctxt
        self.scheduler = scheduler
        self.compute = compute

    def resize(self, uuid: str, flavor: dict) -> None:
        instance = compute_instances.get(uuid)
        migration = compute_migrations.create({
            "instance_uuid": uuid, "status": "pre-migrating", "migration_type": "resize",
            "source_compute": instance.host, "source_node": instance.node,
            "old_flavor_id": instance.flavor_id, "new_flavor_id": flavor["id"]})
        placement.move_allocations(uuid, migration.uuid)
        spec = {**compute_instances.get_request_spec(uuid), "flavor": flavor,
                "force_hosts": None,
                "ignore_hosts": [] if CONF.conductor.allow_resize_to_same_host
                else [instance.host]}
        try:
            selections = self.scheduler.select_destinations(self.ctxt, spec, [uuid],
                                                            return_alternates=False)
        except Exception as error:
            self._abort(uuid, migration.uuid, error)
            return
        dest = selections[0][0]
        compute_migrations.update(migration.uuid, {"dest_compute": dest["host"],
                                                   "dest_node": dest["node"],
                                                   "status": "migrating"})
        compute_instances.update(uuid, {"new_flavor": flavor},
                                 expected_task_state=[TaskState.RESIZE_PREP])
        source = cast(str, instance.host)  # a resize starts where the server runs
        self.compute.resize_instance(self.ctxt, source, uuid, migration.uuid, flavor)

    def _abort(self, uuid: str, migration_uuid: str, error: BaseException) -> None:
        LOG.info("resize of %s failed: %s", uuid, error)
        placement.move_allocations(migration_uuid, uuid)
        compute_migrations.update(migration_uuid, {"status": "error"})
        fault = fault_of(error)
        compute_instances.add_fault(uuid, fault["code"], fault["message"], fault["details"])
        try:
            compute_instances.update(uuid, {"task_state": None},
                                     expected_task_state=[TaskState.RESIZE_PREP])
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            pass  # deleted meanwhile

    def confirm(self, uuid: str) -> None:
        migration = self._migration(uuid, "finished", "confirming")
        if migration is not None:
            self.compute.confirm_resize(self.ctxt, migration.source_compute, uuid,
                                        migration.uuid)

    def revert(self, uuid: str) -> None:
        migration = self._migration(uuid, "finished", "reverting")
        if migration is not None:
            self.compute.revert_resize(self.ctxt, migration.dest_compute, uuid,
                                       migration.uuid)

    @staticmethod
    def _migration(uuid: str, expected: str, new_status: str):
        migration = compute_migrations.in_progress_for(uuid)
        if migration is None or migration.status != expected:
            LOG.warning("instance %s has no %s migration to act on", uuid, expected)
            return None
        return compute_migrations.update(migration.uuid, {"status": new_status})


def finish_allocations(instance_uuid: str, migration_uuid: str, outcome: str) -> None:
    """Settle a resize's allocations: 'confirm' or 'revert'."""
    if outcome == "confirm":
        placement.release(migration_uuid)
    elif outcome == "revert":
        placement.move_allocations(migration_uuid, instance_uuid)
    else:
        raise exceptions.BadRequest(f"unknown resize outcome {outcome}")

"""Deleting an instance, from any state.

On its host when it has one whose compute service is up: the agent destroys the guest
and its disks, then calls instance_delete_complete. Otherwise (never scheduled, build
failed, host down) right here: soft delete and release; a host that was down reaps the
orphaned guest when it comes back.
"""
from oslo_log import log as logging

from common import context, exceptions, notifications
from common.db.api import (
    compute_hosts,
    compute_instances,
    compute_migrations,
    placement,
    services,
)
from services.conductor.tasks import PUBLISHER, ports
from services.conductor.tasks.base import Services, TaskBase

LOG = logging.getLogger(__name__)


def _host_is_up(ctxt: context.RequestContext, host: str) -> bool:
    found = services.list_services(ctxt, binary=compute_hosts.COMPUTE_BINARY, host=host)
    return bool(found) and services.is_up(found[0])


class DeleteTask(TaskBase):
    def __init__(self, ctxt: context.RequestContext, services: Services, uuid: str) -> None:
        super().__init__(ctxt, services)
        self.uuid = uuid

    def _execute(self) -> None:
        uuid = self.uuid
        try:
            instance = compute_instances.get(self.ctxt, uuid)
        except exceptions.InstanceNotFound:
            return  # already deleted: deleting twice is the same as once
        if instance.host and _host_is_up(self.ctxt, instance.host):
            self.services.compute.terminate_instance(self.ctxt, instance.host, uuid)
            return
        LOG.info("deleting %s locally (host %s)", uuid, instance.host or "none")
        data = compute_instances.to_dict(instance)
        host = self.services.host
        notifications.notify_instance(self.ctxt, data, "delete", "start", PUBLISHER, host)
        deleted = complete(self.ctxt, uuid)
        if deleted is not None:
            notifications.notify_instance(self.ctxt, deleted, "delete", "end", PUBLISHER,
                                          host)


def complete(ctxt: context.RequestContext, uuid: str) -> dict | None:
    """Soft delete and release everything the instance and its migration hold: claims,
    and the ports (deleted if its create made them, else unbound and kept)."""
    ports.release(ctxt, uuid)
    for migration in compute_migrations.list_migrations(ctxt, instance_uuid=uuid):
        placement.release(ctxt, migration.uuid)
        if migration.status in compute_migrations.IN_PROGRESS:
            compute_migrations.update(ctxt, migration.uuid, {"status": "error"})
    # The claim goes before the row is marked deleted: whoever sees DELETED sees no claim.
    placement.release(ctxt, uuid)
    deleted = compute_instances.soft_delete(ctxt, uuid)
    return compute_instances.to_dict(deleted) if deleted is not None else None

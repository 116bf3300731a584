"""Finding the servers a request is about, and what their views need beyond the rows
(faults, tags, addresses, host status), loaded once per page."""
import falcon

from common import context, exceptions, policy
from common.db.api import (
    compute_hosts,
    compute_instances,
    compute_network,
    compute_tags,
    services,
)
from common.db.api.compute_instances import InstanceRecord
from services.api import handlers
from services.api.compute import microversion, policies
from services.api.compute.views import servers as views


def get_server(req: falcon.Request, server_id: str, rule: str,
               read_deleted: str = "no") -> InstanceRecord:
    """A server of the caller's project (any project for an admin) after checking
    ``rule`` on it; 404 for servers of other projects, as Nova answers."""
    ctx = handlers.ctx(req)
    project_id = None if ctx.is_admin else ctx.project_id
    instance = compute_instances.get(ctx, server_id, read_deleted, project_id=project_id)
    policy.authorize(ctx, rule, {"project_id": instance.project_id})
    return instance


def authorize(req: falcon.Request, instance: InstanceRecord, rule: str) -> None:
    """Check one more ``rule`` on a server ``get_server`` returned (an admin action)."""
    policy.authorize(handlers.ctx(req), rule, {"project_id": instance.project_id})


def check_unlocked(req: falcon.Request, instance: InstanceRecord) -> None:
    """A locked server refuses changes from anyone but an admin (409)."""
    if instance.locked and not handlers.ctx(req).is_admin:
        raise exceptions.Conflict(f"Instance {instance.uuid} is locked")


def host_statuses(ctx: context.RequestContext,
                  instances: list[InstanceRecord]) -> dict[str, str]:
    """Nova's host_status of each server: UP, DOWN, MAINTENANCE, UNKNOWN or ""."""
    by_host = {service.host: service for service in services.list_services(
        ctx, binary=compute_hosts.COMPUTE_BINARY)}
    statuses = {}
    for instance in instances:
        service = by_host.get(instance.host) if instance.host else None
        if not instance.host:
            statuses[instance.uuid] = ""
        elif service is None:
            statuses[instance.uuid] = "UNKNOWN"
        elif service.forced_down:
            statuses[instance.uuid] = "DOWN"
        elif service.disabled:
            statuses[instance.uuid] = "MAINTENANCE"
        else:
            statuses[instance.uuid] = "UP" if services.is_up(service) else "UNKNOWN"
    return statuses


def extras(req: falcon.Request, instances: list[InstanceRecord],
           full: bool = True) -> views.Extras:
    """What the views of ``instances`` need; ``full`` for show/detail bodies (security
    groups and host status are not in the others)."""
    ctx = handlers.ctx(req)
    version = microversion.version(req)
    uuids = [instance.uuid for instance in instances]
    data = views.Extras(
        version=version,
        extended_attributes=policies.allowed(ctx, "compute:servers:extended_attributes"),
        show_fault_details=policies.allowed(ctx, "compute:servers:fault_details"))
    failed = [i.uuid for i in instances if i.vm_state in ("error", "deleted")]
    data.faults = compute_instances.latest_faults(ctx, failed)
    data.addresses = compute_network.addresses(ctx, uuids)
    if version >= (2, 26):
        data.tags = compute_tags.tags_of(ctx, uuids)
    if full:
        data.security_groups = compute_network.security_groups_of(ctx, uuids)
        if version >= (2, 16) and policies.allowed(ctx, "compute:servers:show:host_status"):
            data.host_status = host_statuses(ctx, instances)
    return data

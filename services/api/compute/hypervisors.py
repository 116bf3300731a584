"""/os-hypervisors: the compute nodes agents describe, with the usage of their resource
providers (admins). Ids are the node's integer id before 2.53, its uuid from 2.53;
2.28 shows cpu_info as an object; 2.33 pages with limit/marker; 2.53 replaces the
search and servers sub-resources with hypervisor_hostname_pattern and with_servers.
"""
import dataclasses
import json
from typing import Any

import falcon

from common import context, exceptions, policy
from common.db.api import compute_hosts, compute_instances, placement, services
from common.db.api.compute_instances import InstanceRecord
from services.api import handlers
from services.api.compute import microversion, params
from services.api.compute.microversion import Version
from services.api.compute.views import common

# What a node shows until its agent has reported an address.
UNKNOWN_IP = "0.0.0.0"


@dataclasses.dataclass
class Hypervisor:
    node: compute_hosts.NodeRecord
    used: dict[str, int]  # its provider's allocations per resource class
    service: services.ServiceRecord | None
    servers: list[InstanceRecord]


def _hypervisors(ctx: context.RequestContext) -> list[Hypervisor]:
    """Every compute node with its usage, service and servers, in four queries."""
    nodes = compute_hosts.list_nodes(ctx)
    by_host = {s.host: s for s in services.list_services(
        ctx, binary=compute_hosts.COMPUTE_BINARY)}
    used = placement.usages(ctx, [node.host for node in nodes]) if nodes else {}
    instances = compute_instances.list_instances(
        ctx, {"host": [node.host for node in nodes]}) if nodes else []
    servers: dict[str, list] = {}
    for instance in instances:  # listed by host: each has one
        servers.setdefault(str(instance.host), []).append(instance)
    return [Hypervisor(node, used.get(node.host, {}), by_host.get(node.host),
                       servers.get(node.host, [])) for node in nodes]


def _id(hypervisor: Hypervisor, version: Version) -> int | str:
    return hypervisor.node.uuid if version >= (2, 53) else hypervisor.node.id


def summary(hypervisor: Hypervisor, version: Version) -> dict[str, Any]:
    service = hypervisor.service
    return {"id": _id(hypervisor, version),
            "hypervisor_hostname": hypervisor.node.hypervisor_hostname,
            "state": "up" if service is not None and services.is_up(service) else "down",
            "status": "disabled" if service is None or service.disabled else "enabled"}


def detail(hypervisor: Hypervisor, version: Version) -> dict[str, Any]:
    node, service = hypervisor.node, hypervisor.service
    memory_used = hypervisor.used.get("MEMORY_MB", 0)
    disk_used = hypervisor.used.get("DISK_GB", 0)
    return {**summary(hypervisor, version),
            "vcpus": node.vcpus, "vcpus_used": hypervisor.used.get("VCPU", 0),
            "memory_mb": node.memory_mb, "memory_mb_used": memory_used,
            "free_ram_mb": node.memory_mb - memory_used, "local_gb": node.local_gb,
            "local_gb_used": disk_used, "free_disk_gb": node.local_gb - disk_used,
            "disk_available_least": node.local_gb - disk_used, "current_workload": 0,
            "running_vms": len(hypervisor.servers),
            "hypervisor_type": node.hypervisor_type,
            "hypervisor_version": node.hypervisor_version,
            "host_ip": node.host_ip or UNKNOWN_IP,
            "cpu_info": dict(node.cpu_info or {}) if version >= (2, 28)
            else json.dumps(node.cpu_info or {}),
            "service": {"host": node.host,
                        "id": (service.uuid if version >= (2, 53) else service.id)
                        if service is not None else "",
                        "disabled_reason": service.disabled_reason if service else None}}


def _with_servers(body: dict, hypervisor: Hypervisor) -> dict:
    if hypervisor.servers:
        body["servers"] = [{"name": i.display_name, "uuid": i.uuid}
                           for i in hypervisor.servers]
    return body


def _select(req: falcon.Request, found: list[Hypervisor]) -> tuple[list[Hypervisor], int | None]:
    """The 2.33 page and the 2.53 hostname pattern."""
    version = microversion.version(req)
    pattern = handlers.query(req, "hypervisor_hostname_pattern")
    if pattern is not None and version >= (2, 53):
        found = [h for h in found if pattern in h.node.hypervisor_hostname]
        if not found:
            raise exceptions.NotFound(f"No hypervisor matching '{pattern}' could be found.")
    limit = None
    if version >= (2, 33):
        marker = handlers.query(req, "marker")
        if marker is not None:
            ids = [str(_id(h, version)) for h in found]
            if marker not in ids:
                raise exceptions.BadRequest(f"marker [{marker}] not found")
            found = found[ids.index(marker) + 1:]
        raw = handlers.query(req, "limit")
        if raw is not None:
            limit = params.integer("limit", raw, minimum=0)
            found = found[:limit]
    return found, limit


def _listing(req: falcon.Request, resp: falcon.Response, render) -> None:
    policy.authorize(handlers.ctx(req), "compute:hypervisors", {})
    version = microversion.version(req)
    found, limit = _select(req, _hypervisors(handlers.ctx(req)))
    with_servers = version >= (2, 53) and params.boolean(
        "with_servers", handlers.query(req, "with_servers") or False)
    items = [render(h, version) for h in found]
    if with_servers:
        items = [_with_servers(item, h) for item, h in zip(items, found, strict=True)]
    resp.media = {"hypervisors": items}
    more = common.next_links(req, found, limit, "", lambda h: _id(h, version))
    if more:
        resp.media["hypervisors_links"] = more


def _find(req: falcon.Request, hypervisor_id: str) -> Hypervisor:
    policy.authorize(handlers.ctx(req), "compute:hypervisors", {})
    version = microversion.version(req)
    for hypervisor in _hypervisors(handlers.ctx(req)):
        if str(_id(hypervisor, version)) == hypervisor_id:
            return hypervisor
    raise exceptions.NotFound(f"Hypervisor with ID '{hypervisor_id}' could not be found.")


class Hypervisors:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, summary)


class HypervisorsDetail:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, detail)


class HypervisorItem:
    def on_get(self, req: falcon.Request, resp: falcon.Response, hypervisor_id: str) -> None:
        hypervisor = _find(req, hypervisor_id)
        version = microversion.version(req)
        body = detail(hypervisor, version)
        if version >= (2, 53) and params.boolean(
                "with_servers", handlers.query(req, "with_servers") or False):
            _with_servers(body, hypervisor)
        resp.media = {"hypervisor": body}


class HypervisorStatistics:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "compute:hypervisors", {})
        totals = {"count": 0, "vcpus": 0, "vcpus_used": 0, "memory_mb": 0,
                  "memory_mb_used": 0, "free_ram_mb": 0, "local_gb": 0, "local_gb_used": 0,
                  "free_disk_gb": 0, "disk_available_least": 0, "current_workload": 0,
                  "running_vms": 0}
        for hypervisor in _hypervisors(handlers.ctx(req)):
            one = detail(hypervisor, microversion.version(req))
            totals["count"] += 1
            for key in totals:
                if key != "count":
                    totals[key] += one[key]
        resp.media = {"hypervisor_statistics": totals}


class HypervisorSearch:
    """GET /os-hypervisors/{pattern}/search and /{pattern}/servers (before 2.53)."""

    def __init__(self, servers: bool) -> None:
        self.servers = servers

    def on_get(self, req: falcon.Request, resp: falcon.Response, hypervisor_id: str) -> None:
        pattern = hypervisor_id  # the path segment is a host name pattern here
        policy.authorize(handlers.ctx(req), "compute:hypervisors", {})
        version = microversion.version(req)
        if version >= (2, 53):
            raise exceptions.NotFound("The resource could not be found.")
        found = [h for h in _hypervisors(handlers.ctx(req))
                 if pattern in h.node.hypervisor_hostname]
        if not found:
            raise exceptions.NotFound(f"No hypervisor matching '{pattern}' could be found.")
        items = [summary(h, version) for h in found]
        if self.servers:
            items = [_with_servers(item, h) for item, h in zip(items, found, strict=True)]
        resp.media = {"hypervisors": items}

"""/os-services: list, enable/disable (with a reason), force down, delete.

Strato's compute-side services show under Nova's binary names (strato-compute is
nova-compute, ...), which clients and Tempest look for; the others are not Nova's.

Before 2.53 services are named by host and binary in PUT /os-services/<action> and by
integer id; from 2.53 by uuid, with PUT /os-services/{uuid}. 2.11 adds forced_down.
Schedulers hear about every change at once (sync_host_metadata).
"""
from typing import Any

import falcon

from common import context, exceptions, policy
from common.db.api import compute_hosts, compute_instances, placement, services
from services.api import body, handlers
from services.api.compute import microversion
from services.api.compute.microversion import Version
from services.api.compute.views import common
from services.scheduler import rpcapi as scheduler_rpcapi

# Strato binary -> the Nova binary it stands for.
NOVA_BINARIES = {compute_hosts.COMPUTE_BINARY: "nova-compute",
                 "strato-scheduler": "nova-scheduler", "strato-conductor": "nova-conductor"}
_STRATO_BINARIES = {nova: strato for strato, nova in NOVA_BINARIES.items()}


def strato_binary(binary: str | None) -> str | None:
    """The Strato binary of a Nova (or Strato) binary name."""
    return _STRATO_BINARIES.get(binary, binary) if binary else binary


def compute_side(found: list[services.ServiceRecord]) -> list[services.ServiceRecord]:
    return [service for service in found if service.binary in NOVA_BINARIES]


_HOST_BINARY = {"host": {"type": "string", "minLength": 1, "maxLength": 255},
                "binary": {"type": "string", "minLength": 1, "maxLength": 255}}
_REASON = {"type": "string", "minLength": 1, "maxLength": 255}
_LEGACY = {
    "enable": {"type": "object", "required": ["host", "binary"],
               "additionalProperties": False, "properties": _HOST_BINARY},
    "disable": {"type": "object", "required": ["host", "binary"],
                "additionalProperties": False, "properties": _HOST_BINARY},
    "disable-log-reason": {"type": "object", "required": ["host", "binary"],
                           "additionalProperties": False,
                           "properties": {**_HOST_BINARY, "disabled_reason": _REASON}},
    "force-down": {"type": "object", "required": ["host", "binary", "forced_down"],
                   "additionalProperties": False,
                   "properties": {**_HOST_BINARY, "forced_down": {"type": "boolean"}}},
}
_UPDATE = {"type": "object", "additionalProperties": False, "minProperties": 1,
           "properties": {"status": {"enum": ["enabled", "disabled"]},
                          "disabled_reason": _REASON, "forced_down": {"type": "boolean"}}}


def view(service: services.ServiceRecord, version: Version, zones: dict[str, str]) -> dict:
    body = {"id": service.uuid if version >= (2, 53) else service.id,
            "binary": NOVA_BINARIES[service.binary], "host": service.host,
            "zone": zones.get(service.host, "internal")
            if service.binary == compute_hosts.COMPUTE_BINARY else "internal",
            "status": "disabled" if service.disabled else "enabled",
            "state": "up" if services.is_up(service) else "down",
            "updated_at": common.iso(service.last_seen_at),
            "disabled_reason": service.disabled_reason}
    if version >= (2, 11):
        body["forced_down"] = service.forced_down
    return body


def zones(ctx: context.RequestContext) -> dict[str, str]:
    """{host: its availability zone} of every compute host."""
    return {host: zone for zone, hosts in compute_hosts.availability_zones(ctx).items()
            for host in hosts}


def _changed(req: falcon.Request) -> None:
    scheduler_rpcapi.SchedulerAPI().sync_host_metadata(handlers.ctx(req))


def _find(req: falcon.Request, host: str, binary: str) -> services.ServiceRecord:
    found = compute_side(services.list_services(handlers.ctx(req), binary=strato_binary(binary),
                                                host=host))
    if not found:
        raise exceptions.NotFound(f"Service {binary} on host {host} could not be found.")
    return found[0]


def _by_id(req: falcon.Request, service_id: str) -> services.ServiceRecord:
    """A service by uuid (2.53+) or by integer id (before)."""
    if microversion.version(req) >= (2, 53):
        found = compute_side([services.get(handlers.ctx(req), service_id)])
        if found:
            return found[0]
        raise exceptions.ServiceNotFound(service_id=service_id)
    for service in compute_side(services.list_services(handlers.ctx(req))):
        if str(service.id) == service_id:
            return service
    raise exceptions.ServiceNotFound(service_id=service_id)


class Services:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "compute:services", {})
        found = compute_side(services.list_services(
            handlers.ctx(req), binary=strato_binary(handlers.query(req, "binary")),
            host=handlers.query(req, "host")))
        version, by_host = microversion.version(req), zones(handlers.ctx(req))
        resp.media = {"services": [view(s, version, by_host) for s in found]}


class ServiceAction:
    """PUT /os-services/{action} before 2.53; PUT /os-services/{uuid} from 2.53."""

    def on_put(self, req: falcon.Request, resp: falcon.Response, service_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:services", {})
        version = microversion.version(req)
        if version >= (2, 53):
            self._update(req, resp, service_id)
            return
        schema = _LEGACY.get(service_id)
        if schema is None or (service_id == "force-down" and version < (2, 11)):
            raise exceptions.NotFound(f"Unknown action {service_id}")
        values = body.json_body(req, schema)
        service = _find(req, values["host"], values["binary"])
        result: dict[str, Any] = {"host": service.host,
                                  "binary": NOVA_BINARIES[service.binary]}
        if service_id == "force-down":
            services.update(handlers.ctx(req), service.uuid, forced_down=values["forced_down"])
            result["forced_down"] = values["forced_down"]
        else:
            disabled = service_id != "enable"
            reason = values.get("disabled_reason") if disabled else None
            services.update(handlers.ctx(req), service.uuid, disabled=disabled,
                            disabled_reason=reason)
            result["status"] = "disabled" if disabled else "enabled"
            if service_id == "disable-log-reason":
                result["disabled_reason"] = reason
        _changed(req)
        resp.media = {"service": result}

    def _update(self, req: falcon.Request, resp: falcon.Response, service_id: str) -> None:
        values = body.json_body(req, _UPDATE)
        service = _by_id(req, service_id)
        changes: dict = {}
        if "status" in values:
            changes["disabled"] = values["status"] == "disabled"
            changes["disabled_reason"] = (values.get("disabled_reason")
                                          if changes["disabled"] else None)
        elif "disabled_reason" in values:
            raise exceptions.BadRequest("Specifying 'disabled_reason' with status "
                                        "'enabled' or without a status is invalid.")
        if "forced_down" in values:
            changes["forced_down"] = values["forced_down"]
        service = services.update(handlers.ctx(req), service.uuid, **changes)
        _changed(req)
        resp.media = {"service": view(service, microversion.version(req),
                                         zones(handlers.ctx(req)))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, service_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:services", {})
        service = _by_id(req, service_id)
        if service.binary == compute_hosts.COMPUTE_BINARY:
            if compute_instances.list_instances(handlers.ctx(req), {"host": service.host}, limit=1):
                raise exceptions.Conflict("Unable to delete compute service that is "
                                          "hosting instances. Migrate or delete the "
                                          "instances first.")
            try:
                placement.delete_provider(handlers.ctx(req), service.host)
            except exceptions.ResourceProviderNotFound:
                pass
            compute_hosts.delete_node(handlers.ctx(req), service.host)
        services.delete(handlers.ctx(req), service.uuid)
        _changed(req)
        resp.status = 204

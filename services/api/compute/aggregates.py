"""/os-aggregates: host aggregates, an availability_zone metadata key making one an AZ
(admins). 2.41 shows the uuid. Schedulers hear about every change at once."""
import falcon

from common import exceptions, policy
from common.db.api import compute_aggregates, compute_hosts, services
from services.api import body, handlers
from services.api.compute import microversion, schemas
from services.api.compute.microversion import Version
from services.api.compute.views import common
from services.scheduler import rpcapi as scheduler_rpcapi

_AZ = {"type": ["string", "null"], "minLength": 1, "maxLength": 255,
       "pattern": r"^[^:]*$"}
CREATE = {"type": "object", "required": ["aggregate"], "additionalProperties": False,
          "properties": {"aggregate": {
              "type": "object", "required": ["name"], "additionalProperties": False,
              "properties": {"name": schemas.NAME, "availability_zone": _AZ}}}}
UPDATE = {"type": "object", "required": ["aggregate"], "additionalProperties": False,
          "properties": {"aggregate": {
              "type": "object", "minProperties": 1, "additionalProperties": False,
              "properties": {"name": schemas.NAME, "availability_zone": _AZ}}}}
_HOST = {"type": "object", "required": ["host"], "additionalProperties": False,
         "properties": {"host": {"type": "string", "minLength": 1, "maxLength": 255}}}
ACTION = {"type": "object", "minProperties": 1, "maxProperties": 1,
          "additionalProperties": False,
          "properties": {
              "add_host": _HOST, "remove_host": _HOST,
              "set_metadata": {"type": "object", "required": ["metadata"],
                               "additionalProperties": False, "properties": {
                                   "metadata": {"type": "object", "patternProperties": {
                                       r"^[a-zA-Z0-9-_:. ]{1,255}$": {
                                           "type": ["string", "null"],
                                           "maxLength": 255}},
                                       "additionalProperties": False}}}}}


def view(aggregate: compute_aggregates.AggregateRecord, version: Version,
         full: bool = True) -> dict:
    body = {"id": aggregate.id, "name": aggregate.name,
            "availability_zone": aggregate.availability_zone,
            "created_at": common.iso(aggregate.created_at),
            "updated_at": common.iso(aggregate.updated_at), "deleted": False,
            "deleted_at": None}
    if full:
        body.update(hosts=list(aggregate.hosts), metadata=dict(aggregate.metadata))
    if version >= (2, 41):
        body["uuid"] = aggregate.uuid
    return body


def _aggregate_id(value: str) -> int:
    if not value.isdigit():
        raise exceptions.AggregateNotFound(aggregate_id=value)
    return int(value)


def _authorize(req: falcon.Request) -> None:
    policy.authorize(handlers.ctx(req), "compute:aggregates", {})


def _changed(req: falcon.Request) -> None:
    scheduler_rpcapi.SchedulerAPI().sync_host_metadata(handlers.ctx(req))


class Aggregates:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _authorize(req)
        version = microversion.version(req)
        aggregates = compute_aggregates.list_aggregates(handlers.ctx(req))
        resp.media = {"aggregates": [view(aggregate, version) for aggregate in aggregates]}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        _authorize(req)
        values = body.json_body(req, CREATE)["aggregate"]
        aggregate = compute_aggregates.create(handlers.ctx(req), values["name"],
                                              values.get("availability_zone"))
        _changed(req)
        resp.media = {"aggregate": view(aggregate, microversion.version(req), full=False)}


class Aggregate:
    def on_get(self, req: falcon.Request, resp: falcon.Response, aggregate_id: str) -> None:
        _authorize(req)
        aggregate = compute_aggregates.get(handlers.ctx(req), _aggregate_id(aggregate_id))
        resp.media = {"aggregate": view(aggregate, microversion.version(req))}

    def on_put(self, req: falcon.Request, resp: falcon.Response, aggregate_id: str) -> None:
        _authorize(req)
        values = body.json_body(req, UPDATE)["aggregate"]
        aggregate = compute_aggregates.update(handlers.ctx(req), _aggregate_id(aggregate_id),
                                              values.get("name"),
                                              values.get("availability_zone"))
        _changed(req)
        resp.media = {"aggregate": view(aggregate, microversion.version(req))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response,
                  aggregate_id: str) -> None:
        _authorize(req)
        compute_aggregates.delete(handlers.ctx(req), _aggregate_id(aggregate_id))
        _changed(req)
        resp.status = 200


class AggregateAction:
    def on_post(self, req: falcon.Request, resp: falcon.Response, aggregate_id: str) -> None:
        _authorize(req)
        ctx = handlers.ctx(req)
        action = body.json_body(req, ACTION)
        number = _aggregate_id(aggregate_id)
        if "add_host" in action:
            host = action["add_host"]["host"]
            if not services.list_services(ctx, binary=compute_hosts.COMPUTE_BINARY, host=host):
                raise exceptions.NotFound(f"Compute host {host} could not be found.")
            aggregate = compute_aggregates.add_host(ctx, number, host)
        elif "remove_host" in action:
            aggregate = compute_aggregates.remove_host(ctx, number,
                                                       action["remove_host"]["host"])
        else:
            aggregate = compute_aggregates.set_metadata(
                ctx, number, action["set_metadata"]["metadata"])
        _changed(req)
        resp.media = {"aggregate": view(aggregate, microversion.version(req))}

"""/flavors: list (summary and detail) with Nova's filters, show, create, update the
description (2.55), delete."""
import uuid
from typing import Any

import falcon

from common import exceptions, policy
from common.db.api import compute_flavors
from services.api import body, handlers
from services.api.compute import microversion, params
from services.api.compute.views import common
from services.api.compute.views import flavors as views

_NAME = {"type": "string", "minLength": 1, "maxLength": 255,
         "pattern": r"^(?! )[^\x00-\x1f]*(?<! )$"}
_NUMBER = {"type": ["integer", "string"]}
CREATE: dict[str, Any] = {
    "type": "object", "required": ["flavor"], "additionalProperties": False,
    "properties": {"flavor": {
        "type": "object", "additionalProperties": False,
        "required": ["name", "ram", "vcpus", "disk"],
        "properties": {
            "name": _NAME,
            "id": {"type": ["string", "integer", "null"], "minLength": 1, "maxLength": 255,
                   "pattern": r"^(?! )[a-zA-Z0-9. _-]+(?<! )$"},
            "ram": _NUMBER, "vcpus": _NUMBER, "disk": _NUMBER,
            "OS-FLV-EXT-DATA:ephemeral": _NUMBER, "swap": _NUMBER,
            "rxtx_factor": {"type": ["number", "string"]},
            "os-flavor-access:is_public": params.BOOLEAN,
        }}},
}
_DESCRIPTION = {"type": ["string", "null"], "maxLength": 65535}
CREATE_V255 = {**CREATE, "properties": {"flavor": {
    **CREATE["properties"]["flavor"],
    "properties": {**CREATE["properties"]["flavor"]["properties"],
                   "description": _DESCRIPTION}}}}
UPDATE = {"type": "object", "required": ["flavor"], "additionalProperties": False,
          "properties": {"flavor": {
              "type": "object", "required": ["description"], "additionalProperties": False,
              "properties": {"description": _DESCRIPTION}}}}


def _is_public_filter(req: falcon.Request) -> bool | None:
    """Admins choose with is_public (True, False, or None meaning all); everyone else
    sees public flavors plus the private ones their project may use."""
    ctx = handlers.ctx(req)
    raw = handlers.query(req, "is_public")
    if not ctx.is_admin or raw is None:
        return True
    if raw.lower() == "none":
        return None
    try:
        return params.boolean("is_public", raw)
    except exceptions.BadRequest:
        raise exceptions.BadRequest(f"Invalid is_public filter [{raw}]") from None


def _min_filter(req: falcon.Request, name: str) -> int | None:
    raw = handlers.query(req, name)
    if raw is None:
        return None
    try:
        return params.integer(name, raw, minimum=0)
    except exceptions.BadRequest:
        raise exceptions.BadRequest(f"Invalid {name} filter [{raw}]") from None


def _list(req: falcon.Request) -> tuple[list, int | None]:
    policy.authorize(handlers.ctx(req), "compute:flavors:list", {})
    asked = handlers.query(req, "limit")
    limit = params.integer("limit", asked, minimum=0) if asked is not None else None
    rows = compute_flavors.list_flavors(
        handlers.ctx(req), is_public=_is_public_filter(req),
        min_memory_mb=_min_filter(req, "minRam"), min_root_gb=_min_filter(req, "minDisk"),
        limit=limit, marker=handlers.query(req, "marker"),
        sort_key=handlers.query(req, "sort_key") or "flavorid",
        sort_dir=handlers.query(req, "sort_dir") or "asc")
    return rows, limit


def _listing(req: falcon.Request, resp: falcon.Response, render) -> None:
    rows, limit = _list(req)
    version = microversion.version(req)
    resp.media = {"flavors": [render(row, version) for row in rows]}
    more = common.next_links(req, rows, limit, "", lambda row: row.flavorid)
    if more:
        resp.media["flavors_links"] = more


class Flavors:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, views.summary)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavors:manage", {})
        version = microversion.version(req)
        values = body.json_body(req, CREATE_V255 if version >= (2, 55) else CREATE)["flavor"]
        flavor = compute_flavors.create(handlers.ctx(req), {
            "flavorid": str(values["id"]) if values.get("id") is not None
            else str(uuid.uuid4()), "name": values["name"],
            "memory_mb": params.integer("ram", values["ram"], minimum=1),
            "vcpus": params.integer("vcpus", values["vcpus"], minimum=1),
            "root_gb": params.integer("disk", values["disk"], minimum=0),
            "ephemeral_gb": params.integer(
                "OS-FLV-EXT-DATA:ephemeral", values.get("OS-FLV-EXT-DATA:ephemeral", 0),
                minimum=0),
            "swap": params.integer("swap", values.get("swap") or 0, minimum=0),
            "rxtx_factor": _rxtx_factor(values.get("rxtx_factor", 1.0)),
            "is_public": params.boolean("os-flavor-access:is_public",
                                        values.get("os-flavor-access:is_public", True)),
            "description": values.get("description")})
        resp.media = {"flavor": views.detail(flavor, version)}


def _rxtx_factor(value: Any) -> float:
    try:
        factor = float(value)
    except (TypeError, ValueError):
        factor = 0.0
    if not 0 < factor <= 3.40282e38:
        raise exceptions.BadRequest(f"Invalid input for field/attribute rxtx_factor. "
                                    f"Value: {value}. It must be a positive number.")
    return factor


class FlavorsDetail:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, views.detail)


class Flavor:
    def on_get(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavors:show", {})
        resp.media = {"flavor": views.detail(compute_flavors.get(handlers.ctx(req), flavor_id),
                                             microversion.version(req))}

    def on_put(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        version = microversion.version(req)
        if version < (2, 55):
            raise falcon.HTTPMethodNotAllowed(["GET", "DELETE"])
        policy.authorize(handlers.ctx(req), "compute:flavors:manage", {})
        description = body.json_body(req, UPDATE)["flavor"]["description"]
        flavor = compute_flavors.update_description(handlers.ctx(req), flavor_id,
                                                    description)
        resp.media = {"flavor": views.detail(flavor, version)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavors:manage", {})
        compute_flavors.delete(handlers.ctx(req), flavor_id)
        resp.status = 202

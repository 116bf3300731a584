"""The catalog's resources: /v3/regions, /v3/services and /v3/endpoints."""
from collections.abc import Callable
from typing import Any

import falcon

from common import policy
from common.db.api import identity_catalog as catalog_db
from services.api import body, handlers, pagination
from services.api.identity.views import catalog as views
from services.api.identity.views.entities import collection

REGION_SCHEMA = {"type": "object", "required": ["region"], "properties": {"region": {
    "type": "object", "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 255},
        "description": {"type": ["string", "null"]},
        "parent_region_id": {"type": ["string", "null"]}}}}}
SERVICE_SCHEMA = {"type": "object", "required": ["service"], "properties": {"service": {
    "type": "object", "properties": {
        "type": {"type": "string", "minLength": 1, "maxLength": 255},
        "name": {"type": "string"}, "description": {"type": ["string", "null"]},
        "enabled": {"type": "boolean"}}}}}
ENDPOINT_SCHEMA = {"type": "object", "required": ["endpoint"], "properties": {"endpoint": {
    "type": "object", "properties": {
        "service_id": {"type": "string"}, "interface": {"type": "string"},
        "url": {"type": "string", "minLength": 1},
        "region_id": {"type": ["string", "null"]}, "region": {"type": ["string", "null"]},
        "enabled": {"type": "boolean"}}}}}


def _listing(req: falcon.Request, resp: falcon.Response, key: str, rule: str,
             lister: Callable[..., list], view: Callable[[Any], dict],
             **filters: str | None) -> None:
    policy.authorize(handlers.ctx(req), rule, {})
    limit, marker = pagination.params(req)
    rows = lister(handlers.ctx(req), limit=limit, marker=marker, **filters)
    resp.media = collection(key, [view(r) for r in rows], pagination.self_link(req),
                            pagination.next_link(req, rows, limit))


class Regions:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, "regions", "identity:list_regions", catalog_db.list_regions,
                 views.region, parent_region_id=handlers.query(req, "parent_region_id"))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_region", {})
        values = body.json_body(req, REGION_SCHEMA)["region"]
        resp.status = 201
        resp.media = {"region": views.region(catalog_db.create_region(
            handlers.ctx(req), values.get("id"), values.get("description") or "",
            values.get("parent_region_id")))}


class Region:
    def on_get(self, req: falcon.Request, resp: falcon.Response, region_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_region", {})
        resp.media = {"region": views.region(catalog_db.get_region(handlers.ctx(req), region_id))}

    def on_put(self, req: falcon.Request, resp: falcon.Response, region_id: str) -> None:
        """Create a region with the id of the URL."""
        policy.authorize(handlers.ctx(req), "identity:create_region", {})
        values = body.json_body(req, REGION_SCHEMA)["region"]
        resp.status = 201
        resp.media = {"region": views.region(catalog_db.create_region(
            handlers.ctx(req), region_id, values.get("description") or "",
            values.get("parent_region_id")))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, region_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_region", {})
        values = body.json_body(req, REGION_SCHEMA)["region"]
        resp.media = {"region": views.region(
            catalog_db.update_region(handlers.ctx(req), region_id, values))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, region_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_region", {})
        catalog_db.delete_region(handlers.ctx(req), region_id)
        resp.status = 204


class Services:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, "services", "identity:list_services", catalog_db.list_services,
                 views.service, type=handlers.query(req, "type"),
                 name=handlers.query(req, "name"))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_service", {})
        values = body.json_body(req, SERVICE_SCHEMA)["service"]
        body.validate(values, {"required": ["type"]})
        resp.status = 201
        resp.media = {"service": views.service(catalog_db.create_service(
            handlers.ctx(req), **_known(values, SERVICE_SCHEMA, "service")))}


class Service:
    def on_get(self, req: falcon.Request, resp: falcon.Response, service_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_service", {})
        resp.media = {"service": views.service(
            catalog_db.get_service(handlers.ctx(req), service_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, service_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_service", {})
        values = body.json_body(req, SERVICE_SCHEMA)["service"]
        resp.media = {"service": views.service(
            catalog_db.update_service(handlers.ctx(req), service_id, values))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, service_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_service", {})
        catalog_db.delete_service(handlers.ctx(req), service_id)
        resp.status = 204


def _known(values: dict, schema: dict, key: str) -> dict:
    """The attributes Strato keeps; Keystone takes any other as an opaque extra, and
    Strato ignores those."""
    known = schema["properties"][key]["properties"]
    return {name: value for name, value in values.items() if name in known}


def _endpoint_values(values: dict) -> dict:
    """Keystone accepts the legacy ``region`` as an alias of ``region_id``."""
    if "region" in values:
        values.setdefault("region_id", values.pop("region"))
    return values


class Endpoints:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _listing(req, resp, "endpoints", "identity:list_endpoints",
                 catalog_db.list_endpoints, views.endpoint,
                 service_id=handlers.query(req, "service_id"),
                 interface=handlers.query(req, "interface"),
                 region_id=handlers.query(req, "region_id"))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_endpoint", {})
        values = _endpoint_values(body.json_body(req, ENDPOINT_SCHEMA)["endpoint"])
        body.validate(values, {"required": ["service_id", "interface", "url"]})
        resp.status = 201
        resp.media = {"endpoint": views.endpoint(catalog_db.create_endpoint(
            handlers.ctx(req), **_known(values, ENDPOINT_SCHEMA, "endpoint")))}


class Endpoint:
    def on_get(self, req: falcon.Request, resp: falcon.Response, endpoint_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_endpoint", {})
        resp.media = {"endpoint": views.endpoint(
            catalog_db.get_endpoint(handlers.ctx(req), endpoint_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, endpoint_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_endpoint", {})
        values = _endpoint_values(body.json_body(req, ENDPOINT_SCHEMA)["endpoint"])
        resp.media = {"endpoint": views.endpoint(
            catalog_db.update_endpoint(handlers.ctx(req), endpoint_id, values))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response,
                  endpoint_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_endpoint", {})
        catalog_db.delete_endpoint(handlers.ctx(req), endpoint_id)
        resp.status = 204

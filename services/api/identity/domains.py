"""/v3/domains."""
import falcon

from common import policy
from common.db.api import identity as identity_db
from services.api import body, handlers, pagination
from services.api.identity.views import entities as views

_DOMAIN = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 64},
        "description": {"type": ["string", "null"]},
        "enabled": {"type": "boolean"},
        "id": {"type": "string", "minLength": 1, "maxLength": 64},
    },
}
CREATE_SCHEMA = {"type": "object", "required": ["domain"],
                 "properties": {"domain": {**_DOMAIN, "required": ["name"]}}}
UPDATE_SCHEMA = {"type": "object", "required": ["domain"],
                 "properties": {"domain": {**_DOMAIN, "minProperties": 1}}}


class Domains:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_domains", {})
        limit, marker = pagination.params(req)
        rows = identity_db.list_domains(handlers.ctx(req), name=handlers.query(req, "name"),
                                        enabled=handlers.query_bool(req, "enabled"),
                                        limit=limit, marker=marker)
        resp.media = views.collection("domains", [views.domain(r) for r in rows],
                                      pagination.self_link(req),
                                      pagination.next_link(req, rows, limit))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_domain", {})
        values = body.json_body(req, CREATE_SCHEMA)["domain"]
        values["domain_id"] = values.pop("id", None)
        resp.status = 201
        domain = identity_db.create_domain(handlers.ctx(req), **values)
        resp.media = {"domain": views.domain(domain)}


class Domain:
    def on_get(self, req: falcon.Request, resp: falcon.Response, domain_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_domain",
                         {"target.domain.id": domain_id})
        resp.media = {"domain": views.domain(identity_db.get_domain(handlers.ctx(req), domain_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, domain_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_domain", {})
        values = body.json_body(req, UPDATE_SCHEMA)["domain"]
        values.pop("id", None)
        domain = identity_db.update_domain(handlers.ctx(req), domain_id, values)
        resp.media = {"domain": views.domain(domain)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, domain_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_domain", {})
        identity_db.delete_domain(handlers.ctx(req), domain_id)
        resp.status = 204

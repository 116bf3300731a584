"""/v3/roles, role implications (/v3/roles/{id}/implies) and /v3/role_inferences."""
import falcon

from common import context, policy
from common.db.api import identity_assignments as assignments_db
from services.api import body, handlers, pagination
from services.api.identity.views import entities as views

_ROLE = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "domain_id": {"type": ["string", "null"]},
        "description": {"type": ["string", "null"]},
    },
}
CREATE_SCHEMA = {"type": "object", "required": ["role"],
                 "properties": {"role": {**_ROLE, "required": ["name"]}}}
UPDATE_SCHEMA = {"type": "object", "required": ["role"],
                 "properties": {"role": {**_ROLE, "minProperties": 1}}}


class Roles:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_roles", {})
        limit, marker = pagination.params(req)
        rows = assignments_db.list_roles(handlers.ctx(req), name=handlers.query(req, "name"),
                                         domain_id=handlers.query(req, "domain_id"),
                                         limit=limit, marker=marker)
        resp.media = views.collection("roles", [views.role(r) for r in rows],
                                      pagination.self_link(req),
                                      pagination.next_link(req, rows, limit))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_role", {})
        values = body.json_body(req, CREATE_SCHEMA)["role"]
        values.pop("id", None)
        resp.status = 201
        resp.media = {"role": views.role(assignments_db.create_role(handlers.ctx(req), **values))}


class Role:
    def on_get(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_role", {})
        resp.media = {"role": views.role(assignments_db.get_role(handlers.ctx(req), role_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_role", {})
        values = body.json_body(req, UPDATE_SCHEMA)["role"]
        for key in ("id", "domain_id"):
            values.pop(key, None)
        role = assignments_db.update_role(handlers.ctx(req), role_id, values)
        resp.media = {"role": views.role(role)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_role", {})
        assignments_db.delete_role(handlers.ctx(req), role_id)
        resp.status = 204


def _inference(ctxt: context.RequestContext, prior_id: str, implied_ids: list[str]) -> dict:
    roles = assignments_db.roles_by_id(ctxt, [prior_id, *implied_ids])
    return {"prior_role": views.role_ref(roles[prior_id]),
            "implies": [views.role_ref(roles[i]) for i in implied_ids if i in roles]}


def _rule(ctxt: context.RequestContext, prior_id: str, implied_id: str) -> dict:
    """One implication: ``implies`` is the role itself, not a list."""
    inference = _inference(ctxt, prior_id, [implied_id])
    return {**inference, "implies": inference["implies"][0]}


class ImpliedRoles:
    def on_get(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_implied_roles", {})
        implied = assignments_db.list_implications(handlers.ctx(req), role_id)[role_id]
        resp.media = {"role_inference": _inference(handlers.ctx(req), role_id, implied),
                      "links": {"self": pagination.self_link(req)}}


class ImpliedRole:
    def on_put(self, req: falcon.Request, resp: falcon.Response, role_id: str,
               implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_implied_role", {})
        assignments_db.create_implied_role(handlers.ctx(req), role_id, implied_id)
        resp.status = 201
        resp.media = {"role_inference": _rule(handlers.ctx(req), role_id, implied_id),
                      "links": {"self": pagination.self_link(req)}}

    def on_get(self, req: falcon.Request, resp: falcon.Response, role_id: str,
               implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_implied_role", {})
        assignments_db.check_implied_role(handlers.ctx(req), role_id, implied_id)
        resp.media = {"role_inference": _rule(handlers.ctx(req), role_id, implied_id),
                      "links": {"self": pagination.self_link(req)}}

    def on_head(self, req: falcon.Request, resp: falcon.Response, role_id: str,
                implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:check_implied_role", {})
        assignments_db.check_implied_role(handlers.ctx(req), role_id, implied_id)
        resp.status = 204

    def on_delete(self, req: falcon.Request, resp: falcon.Response, role_id: str,
                  implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_implied_role", {})
        assignments_db.delete_implied_role(handlers.ctx(req), role_id, implied_id)
        resp.status = 204


class RoleInferences:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_role_inference_rules", {})
        rules = assignments_db.list_implications(handlers.ctx(req))
        resp.media = {"role_inferences": [_inference(handlers.ctx(req), p, i)
                                            for p, i in rules.items()],
                      "links": {"self": pagination.self_link(req)}}

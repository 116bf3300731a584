"""/v3/roles, role implications (/v3/roles/{id}/implies) and /v3/role_inferences."""
import falcon

from common import policy
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
        rows = assignments_db.list_roles(name=handlers.query(req, "name"),
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
        resp.media = {"role": views.role(assignments_db.create_role(**values))}


class Role:
    def on_get(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_role", {})
        resp.media = {"role": views.role(assignments_db.get_role(role_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_role", {})
        values = body.json_body(req, UPDATE_SCHEMA)["role"]
        for key in ("id", "domain_id"):
            values.pop(key, None)
        resp.media = {"role": views.role(assignments_db.update_role(role_id, values))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_role", {})
        assignments_db.delete_role(role_id)
        resp.status = 204


def _inference(prior_id: str, implied_ids: list[str]) -> dict:
    roles = assignments_db.roles_by_id([prior_id, *implied_ids])
    return {"prior_role": views.role_ref(roles[prior_id]),
            "implies": [views.role_ref(roles[i]) for i in implied_ids if i in roles]}


def _rule(prior_id: str, implied_id: str) -> dict:
    """One implication: ``implies`` is the role itself, not a list."""
    inference = _inference(prior_id, [implied_id])
    return {**inference, "implies": inference["implies"][0]}


class ImpliedRoles:
    def on_get(self, req: falcon.Request, resp: falcon.Response, role_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_implied_roles", {})
        implied = assignments_db.list_implications(role_id)[role_id]
        resp.media = {"role_inference": _inference(role_id, implied),
                      "links": {"self": pagination.self_link(req)}}


class ImpliedRole:
    def on_put(self, req: falcon.Request, resp: falcon.Response, role_id: str,
               implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_implied_role", {})
        assignments_db.create_implied_role(role_id, implied_id)
        resp.status = 201
        resp.media = {"role_inference": _rule(role_id, implied_id),
                      "links": {"self": pagination.self_link(req)}}

    def on_get(self, req: falcon.Request, resp: falcon.Response, role_id: str,
               implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_implied_role", {})
        assignments_db.check_implied_role(role_id, implied_id)
        resp.media = {"role_inference": _rule(role_id, implied_id),
                      "links": {"self": pagination.self_link(req)}}

    def on_head(self, req: falcon.Request, resp: falcon.Response, role_id: str,
                implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:check_implied_role", {})
        assignments_db.check_implied_role(role_id, implied_id)
        resp.status = 204

    def on_delete(self, req: falcon.Request, resp: falcon.Response, role_id: str,
                  implied_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_implied_role", {})
        assignments_db.delete_implied_role(role_id, implied_id)
        resp.status = 204


class RoleInferences:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_role_inference_rules", {})
        rules = assignments_db.list_implications()
        resp.media = {"role_inferences": [_inference(p, i) for p, i in rules.items()],
                      "links": {"self": pagination.self_link(req)}}

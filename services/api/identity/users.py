"""/v3/users and /v3/users/{id}/password."""
import falcon

from common import policy
from common.db.api import identity as identity_db
from services.api import body, handlers, pagination
from services.api.identity.views import entities as views

_USER = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "domain_id": {"type": "string"},
        "enabled": {"type": "boolean"},
        "password": {"type": ["string", "null"], "maxLength": 4096},
        "default_project_id": {"type": ["string", "null"]},
        "description": {"type": ["string", "null"]},
        "email": {"type": ["string", "null"]},
    },
}
CREATE_SCHEMA = {"type": "object", "required": ["user"],
                 "properties": {"user": {**_USER, "required": ["name"]}}}
UPDATE_SCHEMA = {"type": "object", "required": ["user"],
                 "properties": {"user": {**_USER, "minProperties": 1}}}
PASSWORD_SCHEMA = {
    "type": "object", "required": ["user"],
    "properties": {"user": {
        "type": "object", "required": ["password", "original_password"],
        "properties": {"password": {"type": "string", "minLength": 1, "maxLength": 4096},
                       "original_password": {"type": "string"}}}},
}


class Users:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_users", {})
        limit, marker = pagination.params(req)
        rows = identity_db.list_users(handlers.ctx(req), name=handlers.query(req, "name"),
                                      domain_id=handlers.query(req, "domain_id"),
                                      enabled=handlers.query_bool(req, "enabled"),
                                      limit=limit, marker=marker)
        resp.media = views.collection("users", [views.user(r) for r in rows],
                                      pagination.self_link(req),
                                      pagination.next_link(req, rows, limit))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:create_user", {})
        values = body.json_body(req, CREATE_SCHEMA)["user"]
        values["domain_id"] = (values.get("domain_id") or ctx.project_domain_id
                               or identity_db.DEFAULT_DOMAIN_ID)
        values.pop("id", None)
        resp.status = 201
        resp.media = {"user": views.user(identity_db.create_user(handlers.ctx(req), **values))}


class User:
    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_user", {"target.user.id": user_id})
        resp.media = {"user": views.user(identity_db.get_user(handlers.ctx(req), user_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_user", {})
        values = body.json_body(req, UPDATE_SCHEMA)["user"]
        for key in ("id", "domain_id"):
            values.pop(key, None)
        user = identity_db.update_user(handlers.ctx(req), user_id, values)
        resp.media = {"user": views.user(user)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_user", {})
        identity_db.delete_user(handlers.ctx(req), user_id)
        resp.status = 204


class Password:
    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:change_password",
                         {"target.user.id": user_id})
        values = body.json_body(req, PASSWORD_SCHEMA)["user"]
        identity_db.change_password(handlers.ctx(req), user_id, values["original_password"],
                                    values["password"])
        resp.status = 204

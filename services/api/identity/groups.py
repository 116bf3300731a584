"""/v3/groups, their members, and /v3/users/{id}/groups."""
import falcon

from common import policy
from common.db.api import identity as identity_db
from services.api import body, handlers, pagination
from services.api.identity.views import entities as views

_GROUP = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "domain_id": {"type": "string"},
        "description": {"type": ["string", "null"]},
    },
}
CREATE_SCHEMA = {"type": "object", "required": ["group"],
                 "properties": {"group": {**_GROUP, "required": ["name"]}}}
UPDATE_SCHEMA = {"type": "object", "required": ["group"],
                 "properties": {"group": {**_GROUP, "minProperties": 1}}}


def _listing(req: falcon.Request, resp: falcon.Response, **filters: str | None) -> None:
    limit, marker = pagination.params(req)
    rows = identity_db.list_groups(handlers.ctx(req), limit=limit, marker=marker, **filters)
    resp.media = views.collection("groups", [views.group(r) for r in rows],
                                  pagination.self_link(req),
                                  pagination.next_link(req, rows, limit))


class Groups:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_groups", {})
        _listing(req, resp, name=handlers.query(req, "name"),
                 domain_id=handlers.query(req, "domain_id"))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:create_group", {})
        values = body.json_body(req, CREATE_SCHEMA)["group"]
        values["domain_id"] = (values.get("domain_id") or ctx.project_domain_id
                               or identity_db.DEFAULT_DOMAIN_ID)
        values.pop("id", None)
        resp.status = 201
        resp.media = {"group": views.group(identity_db.create_group(handlers.ctx(req), **values))}


class Group:
    def on_get(self, req: falcon.Request, resp: falcon.Response, group_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_group", {})
        resp.media = {"group": views.group(identity_db.get_group(handlers.ctx(req), group_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, group_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_group", {})
        values = body.json_body(req, UPDATE_SCHEMA)["group"]
        for key in ("id", "domain_id"):
            values.pop(key, None)
        group = identity_db.update_group(handlers.ctx(req), group_id, values)
        resp.media = {"group": views.group(group)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, group_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_group", {})
        identity_db.delete_group(handlers.ctx(req), group_id)
        resp.status = 204


class GroupUsers:
    def on_get(self, req: falcon.Request, resp: falcon.Response, group_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_users_in_group", {})
        rows = identity_db.list_group_users(handlers.ctx(req), group_id)
        resp.media = views.collection("users", [views.user(r) for r in rows],
                                      pagination.self_link(req))


class GroupUser:
    def on_put(self, req: falcon.Request, resp: falcon.Response, group_id: str,
               user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:add_user_to_group", {})
        identity_db.add_group_user(handlers.ctx(req), group_id, user_id)
        resp.status = 204

    def on_head(self, req: falcon.Request, resp: falcon.Response, group_id: str,
                user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:check_user_in_group", {})
        identity_db.check_group_user(handlers.ctx(req), group_id, user_id)
        resp.status = 204

    on_get = on_head

    def on_delete(self, req: falcon.Request, resp: falcon.Response, group_id: str,
                  user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:remove_user_from_group", {})
        identity_db.remove_group_user(handlers.ctx(req), group_id, user_id)
        resp.status = 204


class UserGroups:
    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_user_groups",
                         {"target.user.id": user_id})
        identity_db.get_user(handlers.ctx(req), user_id)
        _listing(req, resp, user_id=user_id)

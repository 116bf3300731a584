"""/v3/projects and /v3/users/{id}/projects."""
import falcon

from common import context, exceptions, policy
from common.db.api import identity as identity_db
from common.db.api import identity_assignments as assignments_db
from services.api import body, handlers, pagination
from services.api.identity.views import entities as views

_PROJECT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 64},
        "description": {"type": ["string", "null"]},
        "enabled": {"type": "boolean"},
        "domain_id": {"type": ["string", "null"]},
        "parent_id": {"type": ["string", "null"]},
        "is_domain": {"type": "boolean"},
        "tags": {"type": "array", "maxItems": 80,
                 "items": {"type": "string", "minLength": 1, "maxLength": 255}},
    },
}
CREATE_SCHEMA = {"type": "object", "required": ["project"],
                 "properties": {"project": {**_PROJECT, "required": ["name"]}}}
UPDATE_SCHEMA = {"type": "object", "required": ["project"],
                 "properties": {"project": {**_PROJECT, "minProperties": 1}}}
_IMMUTABLE = ("domain_id", "parent_id", "is_domain", "id")


def _domain_of(ctx: context.RequestContext, values: dict) -> str:
    """Keystone's rule: the body's domain, else the parent's, else the token's, else
    the default domain."""
    if values.get("domain_id"):
        return values["domain_id"]
    if values.get("parent_id"):
        parent = identity_db.get_project(ctx, values["parent_id"])
        return parent.id if parent.is_domain else parent.domain_id
    return ctx.domain_id or identity_db.DEFAULT_DOMAIN_ID


class Projects:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_projects", {})
        limit, marker = pagination.params(req)
        is_domain = handlers.query_bool(req, "is_domain")
        rows = identity_db.list_projects(
            handlers.ctx(req), name=handlers.query(req, "name"),
            domain_id=handlers.query(req, "domain_id"),
            enabled=handlers.query_bool(req, "enabled"),
            parent_id=handlers.query(req, "parent_id"),
            is_domain=False if is_domain is None else is_domain, limit=limit, marker=marker)
        resp.media = views.collection("projects", [views.project(r) for r in rows],
                                      pagination.self_link(req),
                                      pagination.next_link(req, rows, limit))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:create_project", {})
        values = body.json_body(req, CREATE_SCHEMA)["project"]
        if not values.get("is_domain"):
            values["domain_id"] = _domain_of(ctx, values)
        else:
            values.pop("domain_id", None)
        resp.status = 201
        resp.media = {"project": views.project(identity_db.create_project(ctx, **values))}


class Project:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_project",
                         {"target.project.id": project_id})
        project = identity_db.get_project(handlers.ctx(req), project_id)
        resp.media = {"project": views.project(project)}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:update_project", {})
        values = body.json_body(req, UPDATE_SCHEMA)["project"]
        project = identity_db.get_project(handlers.ctx(req), project_id)
        for key in _IMMUTABLE:
            if key in values and values[key] != getattr(project, key):
                raise exceptions.BadRequest(f"{key} of a project cannot be changed.")
            values.pop(key, None)
        project = identity_db.update_project(handlers.ctx(req), project_id, values)
        resp.media = {"project": views.project(project)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_project", {})
        identity_db.delete_project(handlers.ctx(req), project_id)
        resp.status = 204


class UserProjects:
    """The projects where a user (or one of its groups) has a role."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_user_projects",
                         {"target.user.id": user_id})
        identity_db.get_user(handlers.ctx(req), user_id)
        limit, marker = pagination.params(req)
        rows = identity_db.list_projects(
            handlers.ctx(req), ids=assignments_db.target_ids(handlers.ctx(req), user_id, "project"),
            enabled=handlers.query_bool(req, "enabled"), limit=limit, marker=marker)
        resp.media = views.collection("projects", [views.project(r) for r in rows],
                                      pagination.self_link(req),
                                      pagination.next_link(req, rows, limit))

"""GET /v3/role_assignments with Keystone's filters (user.id, group.id, role.id,
scope.project.id, scope.domain.id, scope.system, effective, include_names)."""
from typing import Any

import falcon

from common import context, exceptions, policy
from common.db.api import identity as identity_db
from common.db.api import identity_assignments as assignments_db
from services.api import handlers, pagination
from services.api.identity.views.entities import link


def _names(ctxt: context.RequestContext,
           assignments: list[assignments_db.Assignment]) -> dict[str, str]:
    """id → name of every actor, target and role in the list, in a few queries."""
    names = {r.id: r.name for r in assignments_db.roles_by_id(
        ctxt, {a.role_id for a in assignments}).values()}
    user_ids = {a.actor_id for a in assignments if a.actor_type == "user"}
    names.update((u.id, u.name) for u in identity_db.list_users(ctxt, ids=user_ids))
    target_ids = {a.target_id for a in assignments if a.target_type != "system"}
    names.update((p.id, p.name) for p in identity_db.list_projects(ctxt, ids=target_ids,
                                                                   is_domain=None))
    for group_id in {a.actor_id for a in assignments if a.actor_type == "group"}:
        names[group_id] = identity_db.get_group(ctxt, group_id).name
    return names


def _view(a: assignments_db.Assignment, names: dict[str, str] | None) -> dict[str, Any]:
    def ref(ident: str) -> dict[str, str]:
        return {"id": ident, "name": names[ident]} if names and ident in names \
            else {"id": ident}

    scope: dict[str, Any] = ({"system": {"all": True}} if a.target_type == "system"
                             else {a.target_type: ref(a.target_id)})
    body = {"role": ref(a.role_id), a.actor_type: ref(a.actor_id), "scope": scope}
    if a.target_type == "system":
        target_link = link(a.target_type, a.actor_type + "s", a.actor_id, "roles", a.role_id)
    else:
        target_link = link(a.target_type + "s", a.target_id, a.actor_type + "s",
                           a.actor_id, "roles", a.role_id)
    body["links"] = {"assignment": target_link["self"]}
    if a.group_id:
        body["links"]["membership"] = link("groups", a.group_id, "users", a.actor_id)["self"]
    if a.prior_role_id:
        body["links"]["prior_role"] = link("roles", a.prior_role_id)["self"]
    return body


class RoleAssignments:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctxt = handlers.ctx(req)
        policy.authorize(ctxt, "identity:list_role_assignments", {})
        project_id = handlers.query(req, "scope.project.id")
        domain_id = handlers.query(req, "scope.domain.id")
        system = handlers.query(req, "scope.system") is not None
        if sum(map(bool, (project_id, domain_id, system))) > 1:
            raise exceptions.BadRequest("Filter on one scope at a time.")
        effective = bool(handlers.query_bool(req, "effective"))
        if effective and handlers.query(req, "group.id"):
            raise exceptions.BadRequest("effective and group.id cannot be combined.")
        rows = assignments_db.list_assignments(
            ctxt, user_id=handlers.query(req, "user.id"),
            group_id=handlers.query(req, "group.id"),
            role_id=handlers.query(req, "role.id"), project_id=project_id,
            domain_id=domain_id, system=system, effective=effective)
        names = (_names(ctxt, rows) if handlers.query_bool(req, "include_names")
                 else None)
        resp.media = {"role_assignments": [_view(a, names) for a in rows],
                      "links": {"self": pagination.self_link(req), "previous": None,
                                "next": None}}

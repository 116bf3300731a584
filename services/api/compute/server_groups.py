"""/os-server-groups: (anti-)affinity groups of servers. 2.13 shows project_id and
user_id; the soft-* policies are accepted from 2.15; 2.64 names one ``policy`` (and
``rules``: max_server_per_host of an anti-affinity group) instead of ``policies``."""
from typing import Any

import falcon

from common import exceptions, policy
from common.db.api import compute_server_groups
from services.api import body, handlers
from services.api.compute import microversion, params, schemas
from services.api.compute.microversion import Version
from services.compute import quotas

_HARD = ["affinity", "anti-affinity"]
_SOFT = ["soft-affinity", "soft-anti-affinity"]


_RULES = {"type": "object", "additionalProperties": False,
          "properties": {"max_server_per_host": {"type": ["integer", "string"],
                                                 "pattern": "^[0-9]+$", "minimum": 1}}}


def _schema(version: Version) -> dict:
    policies = _HARD + (_SOFT if version >= (2, 15) else [])
    if version >= (2, 64):
        group = {"type": "object", "required": ["name", "policy"],
                 "additionalProperties": False,
                 "properties": {"name": schemas.NAME, "policy": {"enum": policies},
                                "rules": _RULES}}
    else:
        group = {"type": "object", "required": ["name", "policies"],
                 "additionalProperties": False,
                 "properties": {"name": schemas.NAME,
                                "policies": {"type": "array", "minItems": 1,
                                             "maxItems": 1, "uniqueItems": True,
                                             "items": {"enum": policies}}}}
    return {"type": "object", "required": ["server_group"], "additionalProperties": False,
            "properties": {"server_group": group}}


def _policy_and_rules(values: dict) -> tuple[str, dict[str, int]]:
    if "policies" in values:
        return values["policies"][0], {}
    rules = {key: params.integer(key, value, minimum=1)
             for key, value in (values.get("rules") or {}).items()}
    if rules and values["policy"] != "anti-affinity":
        raise exceptions.BadRequest("Only anti-affinity policy supports rules.")
    return values["policy"], rules


def view(group: compute_server_groups.ServerGroupRecord, version: Version) -> dict:
    body: dict[str, Any] = {"id": group.uuid, "name": group.name,
                            "members": list(group.members)}
    if version >= (2, 64):
        body.update(policy=group.policy, rules=dict(group.rules))
    else:
        body.update(policies=[group.policy], metadata={})
    if version >= (2, 13):
        body.update(project_id=group.project_id, user_id=group.user_id)
    return body


def _find(req: falcon.Request, group_id: str,
          rule: str) -> compute_server_groups.ServerGroupRecord:
    ctx = handlers.ctx(req)
    group = compute_server_groups.get(ctx, group_id)
    policy.authorize(ctx, rule, {"project_id": group.project_id})
    return group


class ServerGroups:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:server_groups:index")
        all_projects = handlers.query(req, "all_projects") is not None
        if all_projects:
            policy.authorize(ctx, "compute:server_groups:index:all_projects", {})
        limit, offset = (handlers.query(req, name) for name in ("limit", "offset"))
        groups = compute_server_groups.list_groups(
            ctx, all_projects, params.integer("limit", limit, minimum=0) if limit else None,
            params.integer("offset", offset, minimum=0) if offset else None)
        version = microversion.version(req)
        resp.media = {"server_groups": [view(group, version) for group in groups]}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:server_groups:create")
        version = microversion.version(req)
        values = body.json_body(req, _schema(version))["server_group"]
        quotas.check_server_groups(ctx)
        policy_name, rules = _policy_and_rules(values)
        group = compute_server_groups.create(ctx, values["name"], policy_name, rules)
        resp.media = {"server_group": view(group, version)}


class ServerGroup:
    def on_get(self, req: falcon.Request, resp: falcon.Response, group_id: str) -> None:
        group = _find(req, group_id, "compute:server_groups:show")
        resp.media = {"server_group": view(group, microversion.version(req))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, group_id: str) -> None:
        group = _find(req, group_id, "compute:server_groups:delete")
        compute_server_groups.delete(handlers.ctx(req), group.uuid)
        resp.status = 204


"""/os-quota-sets/{project_id} (+ /detail, /defaults): compute quotas of a project;
admins change (PUT) and reset (DELETE) them. Network quotas show until 2.36 and
personality ones until 2.57, as in Nova."""
import falcon

from common import context, exceptions, policy
from common.db.api import (
    compute_instances,
    compute_keypairs,
    compute_quotas,
    compute_server_groups,
)
from services.api import body, handlers
from services.api.compute import limits, microversion, params
from services.api.compute.microversion import Version
from services.compute import quotas

# API name -> [quota] resource.
_COMPUTE = {"instances": "instances", "cores": "cores", "ram": "ram",
            "metadata_items": "metadata_items", "key_pairs": "key_pairs",
            "server_groups": "server_groups",
            "server_group_members": "server_group_members"}
_PERSONALITY = {"injected_files": "injected_files",
                "injected_file_content_bytes": "injected_file_content_bytes",
                "injected_file_path_bytes": "injected_file_path_length"}


def _names(version: Version) -> dict[str, str]:
    names = dict(_COMPUTE)
    if version < (2, 57):
        names.update(_PERSONALITY)
    return names


def _quota_set(values: dict[str, int], version: Version) -> dict:
    body = {name: values[resource] for name, resource in _names(version).items()}
    if version < (2, 36):
        body.update(limits.NETWORK_DEFAULTS)
    return body


def _project(req: falcon.Request, project_id: str) -> None:
    ctx = handlers.ctx(req)
    policy.authorize(ctx, "compute:quota_sets:show", {"project_id": project_id})


def _in_use(ctx: context.RequestContext, project_id: str,
            user_id: str | None) -> dict[str, int]:
    used = compute_instances.usage(ctx, project_id)
    return {**dict.fromkeys(quotas.RESOURCES, 0), **used,
            "server_groups": compute_server_groups.count(ctx, project_id),
            "key_pairs": compute_keypairs.count(ctx, user_id) if user_id else 0}


def _update_schema(version: Version) -> dict:
    names = list(_names(version)) + (list(limits.NETWORK_DEFAULTS)
                                     if version < (2, 36) else [])
    return {"type": "object", "required": ["quota_set"], "additionalProperties": False,
            "properties": {"quota_set": {
                "type": "object", "additionalProperties": False,
                "properties": {**{name: {"type": ["integer", "string"]} for name in names},
                               "force": {"type": ["boolean", "string"]}}}}}


class QuotaSet:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        _project(req, project_id)
        body = _quota_set(quotas.limits(handlers.ctx(req), project_id),
                          microversion.version(req))
        resp.media = {"quota_set": {"id": project_id, **body}}

    def on_put(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:quota_sets:update", {})
        version = microversion.version(req)
        values = body.json_body(req, _update_schema(version))["quota_set"]
        force = params.boolean("force", values.pop("force", False))
        names, used = _names(version), _in_use(handlers.ctx(req), project_id, None)
        changes = {}
        for name, value in values.items():
            if name not in names:
                continue  # a network quota: Nova accepts and ignores it
            limit = params.integer(name, value, minimum=-1)
            resource = names[name]
            if not force and limit != -1 and limit < used.get(resource, 0):
                raise exceptions.BadRequest(
                    f"Quota limit {limit} for {name} must be greater than or equal to "
                    f"already used and reserved {used[resource]}.")
            changes[resource] = limit
        compute_quotas.set_limits(handlers.ctx(req), project_id, changes)
        resp.media = {"quota_set": _quota_set(quotas.limits(handlers.ctx(req), project_id),
                                               version)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:quota_sets:delete", {})
        compute_quotas.delete_limits(handlers.ctx(req), project_id)
        resp.status = 202


class QuotaSetDetail:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        _project(req, project_id)
        version = microversion.version(req)
        limit = quotas.limits(handlers.ctx(req), project_id)
        used = _in_use(handlers.ctx(req), project_id, handlers.query(req, "user_id"))
        body = {name: {"limit": limit[resource], "in_use": used.get(resource, 0),
                       "reserved": 0} for name, resource in _names(version).items()}
        if version < (2, 36):
            body.update({name: {"limit": value, "in_use": 0, "reserved": 0}
                         for name, value in limits.NETWORK_DEFAULTS.items()})
        resp.media = {"quota_set": {"id": project_id, **body}}


class QuotaSetDefaults:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        _project(req, project_id)
        body = _quota_set(quotas.defaults(), microversion.version(req))
        resp.media = {"quota_set": {"id": project_id, **body}}

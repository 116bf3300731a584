"""POST /servers/{id}/action: one action per request.

Each action checks its body, starts the action on the instance (a guarded state change
plus an instance action record, compute_instances.begin_action) and casts ONE RPC: to
the instance's compute agent for power, reboot, rebuild, snapshot; to the conductor for
delete and resize flows. A server in a state the action cannot start from is 409.
"""
import re
from collections.abc import Callable
from typing import Any

import falcon

from common import exceptions, policy
from common.compute_states import VMState
from common.db import models
from common.db.api import (
    compute_actions,
    compute_flavors,
    compute_instances,
    compute_network,
)
from common.db.api import images as images_db
from services.api import body, handlers, urls
from services.api.compute import (
    microversion,
    params,
    quotas,
    schemas,
    server_create,
    server_data,
)
from services.api.compute.views import servers as views
from services.api.image import store as image_store
from services.compute import rpcapi as compute_rpcapi
from services.conductor import rpcapi as conductor_rpcapi
from services.network import rpcapi as network_rpcapi

_EMPTY = {"type": ["object", "null"], "additionalProperties": False, "properties": {}}
_REBOOT = {"type": "object", "required": ["type"], "additionalProperties": False,
           "properties": {"type": {"enum": ["HARD", "Hard", "hard", "SOFT", "Soft",
                                            "soft"]}}}
_RESIZE = {"type": "object", "required": ["flavorRef"], "additionalProperties": False,
           "properties": {"flavorRef": {"type": ["string", "integer"], "minLength": 1},
                          "OS-DCF:diskConfig": schemas.DISK_CONFIG}}
_CREATE_IMAGE = {"type": "object", "required": ["name"], "additionalProperties": False,
                 "properties": {"name": schemas.NAME, "metadata": schemas.METADATA}}
_CREATE_BACKUP = {"type": "object", "required": ["name", "backup_type", "rotation"],
                  "additionalProperties": False,
                  "properties": {"name": schemas.NAME, "metadata": schemas.METADATA,
                                 "backup_type": {"type": "string"},
                                 "rotation": {"type": ["integer", "string"]}}}
_SECURITY_GROUP = {"type": "object", "required": ["name"], "additionalProperties": False,
                   "properties": {"name": {"type": "string", "minLength": 1,
                                           "maxLength": 255}}}
_CONSOLE = {"type": ["object", "null"], "additionalProperties": False,
            "properties": {"length": {"type": ["integer", "string", "null"],
                                      "pattern": "^-?[0-9]+$"}}}
_RESET_STATE = {"type": "object", "required": ["state"], "additionalProperties": False,
                "properties": {"state": {"enum": ["active", "error"]}}}
# Control characters a console log may hold that JSON clients choke on (Nova drops them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
# Properties of the base image a snapshot keeps, so it boots the same way.
_INHERITED = ("kernel_id", "ramdisk_id", "os_command_line", "architecture",
              "hw_architecture", "os_distro", "os_type")

Handler = Callable[[falcon.Request, falcon.Response, models.Instance, Any], None]


def _host(instance: models.Instance, action: str) -> str:
    if not instance.host:
        raise exceptions.InstanceInvalidState(action=action, instance_id=instance.uuid,
                                              attr="host", state="None")
    return instance.host


def _begin(req: falcon.Request, instance: models.Instance, action: str,
           values: dict | None = None) -> models.Instance:
    ctx = handlers.ctx(req)
    return compute_instances.begin_action(instance.uuid, action, ctx.request_id,
                                          ctx.user_id, ctx.project_id, values)


def _compute() -> compute_rpcapi.ComputeAPI:
    return compute_rpcapi.ComputeAPI()


def _on_host(action: str, rpc_method: str) -> Handler:
    """An action the instance's agent carries out, e.g. os-stop → stop_instance."""
    def handle(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
               _value: Any) -> None:
        host = _host(instance, action)
        _begin(req, instance, action)
        getattr(_compute(), rpc_method)(handlers.ctx(req), host, instance.uuid)
        resp.status = 202
    return handle


def _reboot(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
            value: Any) -> None:
    body.validate(value, _REBOOT)
    hard = value["type"].upper() == "HARD"
    host = _host(instance, "reboot")
    _begin(req, instance, "reboot_hard" if hard else "reboot")
    _compute().reboot_instance(handlers.ctx(req), host, instance.uuid,
                               "HARD" if hard else "SOFT")
    resp.status = 202


def _resize(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
            value: Any) -> None:
    body.validate(value, _RESIZE)
    ctx = handlers.ctx(req)
    ref = str(value["flavorRef"]).rstrip("/").rsplit("/", 1)[-1]
    try:
        flavor = compute_flavors.snapshot(compute_flavors.get(ref))
    except exceptions.FlavorNotFound:
        raise exceptions.BadRequest(f"Unable to find flavor {ref}.") from None
    if flavor["id"] == instance.flavor_id:
        raise exceptions.BadRequest("When resizing, instances must change flavor!")
    if instance.image_ref:
        image = images_db.get_many([instance.image_ref]).get(instance.image_ref)
        if image is not None:
            server_create.check_image_fits(image, flavor)
    quotas.check_resize(instance.project_id, instance.flavor, flavor)
    _host(instance, "resize")
    _begin(req, instance, "resize")
    conductor_rpcapi.ConductorAPI().resize_instance(ctx, instance.uuid, flavor)
    resp.status = 202


def _confirm_resize(req: falcon.Request, resp: falcon.Response,
                    instance: models.Instance, value: Any) -> None:
    body.validate(value, _EMPTY)
    _begin(req, instance, "confirmResize")
    conductor_rpcapi.ConductorAPI().confirm_resize(handlers.ctx(req), instance.uuid)
    resp.status = 204


def _revert_resize(req: falcon.Request, resp: falcon.Response,
                   instance: models.Instance, value: Any) -> None:
    body.validate(value, _EMPTY)
    _begin(req, instance, "revertResize")
    conductor_rpcapi.ConductorAPI().revert_resize(handlers.ctx(req), instance.uuid)
    resp.status = 202


def _rebuild(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
             value: Any) -> None:
    ctx = handlers.ctx(req)
    version = microversion.version(req)
    body.validate(value, schemas.rebuild(version))
    image = server_create.image_for(ctx, value["imageRef"].rstrip("/").rsplit("/", 1)[-1])
    server_create.check_image_fits(image, instance.flavor)
    values = _rebuild_values(req, value, image)
    if "metadata" in value:
        quotas.check_metadata(instance.project_id, len(value["metadata"]))
    host = _host(instance, "rebuild")
    rebuilt = _begin(req, instance, "rebuild", values)
    if "metadata" in value:
        compute_instances.update_metadata(instance.uuid, value["metadata"], replace=True)
        rebuilt = compute_instances.get(instance.uuid)
    _compute().rebuild_instance(ctx, host, instance.uuid)
    server = views.rebuilt(rebuilt, server_data.extras(req, [rebuilt], full=False))
    server["adminPass"] = value.get("adminPass") or server_create.new_password()
    resp.status = 202
    resp.media = {"server": server}


def _rebuild_values(req: falcon.Request, value: dict, image: models.Image) -> dict:
    ctx = handlers.ctx(req)
    values: dict[str, Any] = {"image_ref": image.id,
                              "image_meta": server_create.image_meta(image)}
    if "name" in value:
        values["display_name"] = value["name"]
    if "description" in value:
        values["display_description"] = value["description"]
    for field, column, ip_version in (("accessIPv4", "access_ip_v4", 4),
                                      ("accessIPv6", "access_ip_v6", 6)):
        if field in value:
            values[column] = (params.ip_address(field, value[field], ip_version)
                              if value[field] else None)
    if "key_name" in value:
        values.update(server_create.keypair_values(ctx, value["key_name"]))
    if "user_data" in value:
        server_create.check_base64("User data", value["user_data"])
        values["user_data"] = value["user_data"]
    return values


def _snapshot(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
              name: str, properties: dict) -> models.Image:
    """Start a snapshot of the server as a new private image of its project; answer
    with the image's id (2.45+) or its Location."""
    ctx = handlers.ctx(req)
    policy.authorize(ctx, "compute:servers:create_image",
                     {"project_id": instance.project_id})
    host = _host(instance, "createImage")
    base = instance.image_meta or {}
    inherited = {key: str(val) for key, val in (base.get("properties") or {}).items()
                 if key in _INHERITED or key.startswith("hw_")}
    image = images_db.create(
        {"name": name, "owner": instance.project_id, "visibility": "private",
         "min_ram": base.get("min_ram") or 0,
         "min_disk": max(base.get("min_disk") or 0, instance.flavor.get("root_gb", 0))},
        {**inherited, **properties, "instance_uuid": instance.uuid,
         "base_image_ref": instance.image_ref or "", "user_id": ctx.user_id})
    try:
        _begin(req, instance, "createImage")
    except exceptions.StratoError:
        images_db.delete(image.id)
        raise
    _compute().snapshot_instance(ctx, host, instance.uuid, image.id)
    resp.status = 202
    if microversion.version(req) >= (2, 45):
        resp.media = {"image_id": image.id}
    else:
        resp.location = urls.url("image", "v2", "images", image.id)
    return image


def _create_image(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
                  value: Any) -> None:
    body.validate(value, _CREATE_IMAGE)
    _snapshot(req, resp, instance, value["name"],
              {**(value.get("metadata") or {}), "image_type": "snapshot"})


def _create_backup(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
                   value: Any) -> None:
    """A snapshot kept as one of the server's ``rotation`` newest backups of its
    ``backup_type``; older ones are deleted (all of them with rotation 0)."""
    body.validate(value, _CREATE_BACKUP)
    rotation = params.integer("rotation", value["rotation"], minimum=0)
    backup_type = value["backup_type"]
    image = _snapshot(req, resp, instance, value["name"],
                      {**(value.get("metadata") or {}), "image_type": "backup",
                       "backup_type": backup_type})
    backups = images_db.list_images(None, True, {"properties": {
        "instance_uuid": instance.uuid, "image_type": "backup", "backup_type": backup_type}})
    for old in [b for b in backups if b.id != image.id][max(rotation - 1, 0):] + (
            [image] if rotation == 0 else []):
        images_db.delete(old.id)
        image_store.delete(old.id)


def _console_output(req: falcon.Request, resp: falcon.Response,
                    instance: models.Instance, value: Any) -> None:
    body.validate(value, _CONSOLE)
    policy.authorize(handlers.ctx(req), "compute:servers:console_output",
                     {"project_id": instance.project_id})
    length = (value or {}).get("length")
    if length is not None:
        length = params.integer("length", length, minimum=-1)
        length = None if length == -1 else length
    host = _host(instance, "get_console_output")
    output = _compute().get_console_output(handlers.ctx(req), host, instance.uuid, length)
    resp.media = {"output": _CONTROL.sub("", output)}


def _lock(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
          value: Any) -> None:
    body.validate(value, _EMPTY)
    ctx = handlers.ctx(req)
    compute_instances.update(instance.uuid, {"locked": True,
                                             "locked_by": "admin" if ctx.is_admin
                                             else "owner"})
    _record(req, instance, "lock")
    resp.status = 202


def _unlock(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
            value: Any) -> None:
    body.validate(value, _EMPTY)
    ctx = handlers.ctx(req)
    if instance.locked and instance.locked_by == "admin":
        policy.authorize(ctx, "compute:servers:unlock_override", {})
    compute_instances.update(instance.uuid, {"locked": False, "locked_by": None})
    _record(req, instance, "unlock")
    resp.status = 202


def _record(req: falcon.Request, instance: models.Instance, action: str) -> None:
    ctx = handlers.ctx(req)
    compute_actions.create(instance.uuid, action, ctx.request_id, ctx.user_id,
                           ctx.project_id)


def _reset_state(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
                 value: Any) -> None:
    policy.authorize(handlers.ctx(req), "compute:servers:admin_actions", {})
    body.validate(value, _RESET_STATE)
    state = VMState.ACTIVE if value["state"] == "active" else VMState.ERROR
    compute_instances.update(instance.uuid, {"vm_state": state, "task_state": None})
    _record(req, instance, "resetState")
    resp.status = 202


def _force_delete(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
                  value: Any) -> None:
    """Deletes are immediate here (no soft delete), so forceDelete is a delete."""
    body.validate(value, _EMPTY)
    ctx = handlers.ctx(req)
    _begin(req, instance, "delete")
    conductor_rpcapi.ConductorAPI().delete_instance(ctx, instance.uuid)
    resp.status = 202


def _restore(_req: falcon.Request, _resp: falcon.Response, instance: models.Instance,
             _value: Any) -> None:
    raise exceptions.InstanceInvalidState(action="restore", instance_id=instance.uuid,
                                          attr="vm_state", state=instance.vm_state)


def _security_group(adding: bool) -> Handler:
    """addSecurityGroup / removeSecurityGroup: the server's groups, on its ports too."""
    def handle(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
               value: Any) -> None:
        body.validate(value, _SECURITY_GROUP)
        name, uuid = value["name"], instance.uuid
        current = compute_network.security_groups_of([uuid])[uuid]
        if adding:
            known = name == "default" or compute_network.security_groups_found(
                {name}, instance.project_id)
            if not known:
                raise exceptions.NotFound(f"Security group {name} not found for project "
                                          f"{instance.project_id}.")
            if name in current:
                raise exceptions.BadRequest(f"Security group {name} is already associated "
                                            f"with the instance {uuid}")
            wanted = [*current, name]
        else:
            if name not in current:
                raise exceptions.NotFound(f"Security group {name} not associated with "
                                          f"the instance {uuid}")
            wanted = [group for group in current if group != name]
        changed = compute_network.set_security_groups(uuid, instance.project_id, wanted)
        if changed:
            network_rpcapi.NetworkAgentAPI().sync(handlers.ctx(req),
                                                  *[("port", port) for port in changed])
        resp.status = 202
    return handle


def _checked(schema: dict, handler: Handler) -> Handler:
    def handle(req: falcon.Request, resp: falcon.Response, instance: models.Instance,
               value: Any) -> None:
        body.validate(value, schema)
        handler(req, resp, instance, value)
    return handle


ACTIONS: dict[str, Handler] = {
    "os-start": _checked(_EMPTY, _on_host("start", "start_instance")),
    "os-stop": _checked(_EMPTY, _on_host("stop", "stop_instance")),
    "pause": _checked(_EMPTY, _on_host("pause", "pause_instance")),
    "unpause": _checked(_EMPTY, _on_host("unpause", "unpause_instance")),
    "suspend": _checked(_EMPTY, _on_host("suspend", "suspend_instance")),
    "resume": _checked(_EMPTY, _on_host("resume", "resume_instance")),
    "reboot": _reboot, "resize": _resize, "confirmResize": _confirm_resize,
    "revertResize": _revert_resize, "rebuild": _rebuild, "createImage": _create_image,
    "createBackup": _create_backup, "addSecurityGroup": _security_group(adding=True),
    "removeSecurityGroup": _security_group(adding=False),
    "os-getConsoleOutput": _console_output, "lock": _lock, "unlock": _unlock,
    "os-resetState": _reset_state, "forceDelete": _force_delete, "restore": _restore,
}
# Actions that may run on a locked server (Nova's lock does not stop these).
_LOCK_EXEMPT = ("lock", "unlock", "os-getConsoleOutput", "os-resetState")


class ServerAction:
    def on_post(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        document = body.json_body(req)
        if not isinstance(document, dict) or len(document) != 1:
            raise exceptions.BadRequest("Malformed request body: exactly one action is "
                                        "expected.")
        (name, value), = document.items()
        instance = server_data.get_server(req, server_id, "compute:servers:action")
        handler = ACTIONS.get(name)
        if handler is None:
            raise exceptions.BadRequest(f"There is no such action: {name}")
        if name not in _LOCK_EXEMPT:
            server_data.check_unlocked(req, instance)
        handler(req, resp, instance, value)

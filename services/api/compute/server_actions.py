"""POST /servers/{id}/action: one action per request.

Each action checks its body against its schema and hands the parsed arguments to
services.compute.api, which checks them against what exists, starts the action on the
instance and casts its RPC. A server in a state the action cannot start from is 409.
"""
import re
from collections.abc import Callable
from typing import Any

import falcon

from common import exceptions
from common.db.api import images as images_db
from common.db.api.compute_instances import InstanceRecord
from services.api import body, handlers, urls
from services.api.compute import (
    microversion,
    params,
    schemas,
    server_create,
    server_data,
)
from services.api.compute.views import servers as views
from services.compute import api as compute_api

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
_BOOLEAN = {"type": ["boolean", "string"],
            "enum": [True, False, "True", "False", "true", "false", "1", "0"]}
_HOST = {"type": ["string", "null"], "minLength": 1, "maxLength": 255}
_MIGRATE_HOST = {"type": ["object", "null"], "additionalProperties": False,
                 "properties": {"host": _HOST}}
_RESET_STATE = {"type": "object", "required": ["state"], "additionalProperties": False,
                "properties": {"state": {"enum": ["active", "error"]}}}
# Control characters a console log may hold that JSON clients choke on (Nova drops them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")

Handler = Callable[[falcon.Request, falcon.Response, InstanceRecord, Any], None]


def _on_host(action: str, rpc_method: str) -> Handler:
    """An action the instance's agent carries out, e.g. os-stop → stop_instance."""
    def handle(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
               _value: Any) -> None:
        compute_api.act_on_host(handlers.ctx(req), instance, action, rpc_method)
        resp.status = 202
    return handle


def _reboot(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
            value: Any) -> None:
    body.validate(value, _REBOOT)
    compute_api.reboot(handlers.ctx(req), instance, value["type"].upper() == "HARD")
    resp.status = 202


def _resize(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
            value: Any) -> None:
    body.validate(value, _RESIZE)
    compute_api.resize(handlers.ctx(req), instance,
                       server_create.last_segment(value["flavorRef"]))
    resp.status = 202


def _confirm_resize(req: falcon.Request, resp: falcon.Response,
                    instance: InstanceRecord, value: Any) -> None:
    body.validate(value, _EMPTY)
    compute_api.confirm_resize(handlers.ctx(req), instance)
    resp.status = 204


def _revert_resize(req: falcon.Request, resp: falcon.Response,
                   instance: InstanceRecord, value: Any) -> None:
    body.validate(value, _EMPTY)
    compute_api.revert_resize(handlers.ctx(req), instance)
    resp.status = 202


def _migrate(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
             value: Any) -> None:
    """A named host from 2.56."""
    body.validate(value, _MIGRATE_HOST if microversion.version(req) >= (2, 56) else _EMPTY)
    server_data.authorize(req, instance, "compute:servers:migrate")
    compute_api.migrate(handlers.ctx(req), instance, (value or {}).get("host"))
    resp.status = 202


def _live_migrate_schema(version: microversion.Version) -> dict:
    """Nova's os-migrateLive bodies: disk_over_commit until 2.25, block_migration
    "auto" from 2.25, force from 2.30 to 2.67."""
    properties: dict[str, Any] = {"host": _HOST, "block_migration": _BOOLEAN}
    required = ["block_migration", "host"]
    if version < (2, 25):
        properties["disk_over_commit"] = _BOOLEAN
        required.append("disk_over_commit")
    else:
        properties["block_migration"] = {"anyOf": [_BOOLEAN, {"enum": ["auto"]}]}
    if (2, 30) <= version < (2, 68):
        properties["force"] = _BOOLEAN
    return {"type": "object", "required": required, "additionalProperties": False,
            "properties": properties}


def _live_migrate(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
                  value: Any) -> None:
    body.validate(value, _live_migrate_schema(microversion.version(req)))
    server_data.authorize(req, instance, "compute:servers:migrate_live")
    block = value["block_migration"]
    compute_api.live_migrate(handlers.ctx(req), instance, value.get("host"),
                             block if block == "auto"
                             else params.boolean("block_migration", block),
                             params.boolean("force", value.get("force", False)))
    resp.status = 202


def _evacuate_schema(version: microversion.Version) -> dict:
    """Nova's evacuate bodies: onSharedStorage until 2.14, force from 2.29 to 2.67."""
    properties: dict[str, Any] = {"host": _HOST, "adminPass": {"type": "string"}}
    required = []
    if version < (2, 14):
        properties["onSharedStorage"] = _BOOLEAN
        required.append("onSharedStorage")
    if (2, 29) <= version < (2, 68):
        properties["force"] = _BOOLEAN
    return {"type": "object", "required": required, "additionalProperties": False,
            "properties": properties}


def _evacuate(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
              value: Any) -> None:
    """Before 2.14 the answer carries the admin password; after, no body."""
    version = microversion.version(req)
    body.validate(value, _evacuate_schema(version))
    server_data.authorize(req, instance, "compute:servers:evacuate")
    if params.boolean("onSharedStorage", value.get("onSharedStorage", False)):
        raise exceptions.BadRequest("Instance storage is not shared between compute "
                                    "hosts here: onSharedStorage must be false.")
    compute_api.evacuate(handlers.ctx(req), instance, value.get("host"),
                         params.boolean("force", value.get("force", False)))
    resp.status = 202
    if version < (2, 14):
        resp.media = {"adminPass": value.get("adminPass") or compute_api.new_password()}


def _rebuild(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
             value: Any) -> None:
    body.validate(value, schemas.rebuild(microversion.version(req)))
    server_create.check_no_certificates(value)
    image_ref = server_create.image_id(value["imageRef"])
    keys = {"key_name": value["key_name"]} if "key_name" in value else {}
    rebuilt = compute_api.rebuild(handlers.ctx(req), instance, image_ref,
                                  _rebuild_changes(value), value.get("metadata"), **keys)
    server = views.rebuilt(rebuilt, server_data.extras(req, [rebuilt], full=False))
    server["adminPass"] = value.get("adminPass") or compute_api.new_password()
    resp.status = 202
    resp.media = {"server": server}


def _rebuild_changes(value: dict) -> dict[str, Any]:
    """The instance columns a rebuild body changes besides the image and key."""
    changes = server_create.server_changes(value)
    if "user_data" in value:
        server_create.check_base64("User data", value["user_data"])
        changes["user_data"] = value["user_data"]
    return changes


def _answer_image(req: falcon.Request, resp: falcon.Response,
                  image: images_db.ImageRecord) -> None:
    """A snapshot's answer: the image id (2.45+) or its Location."""
    resp.status = 202
    if microversion.version(req) >= (2, 45):
        resp.media = {"image_id": image.id}
    else:
        resp.location = urls.url("image", "v2", "images", image.id)


def _create_image(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
                  value: Any) -> None:
    body.validate(value, _CREATE_IMAGE)
    image = compute_api.snapshot(handlers.ctx(req), instance, value["name"], {
        **(value.get("metadata") or {}), "image_type": "snapshot"})
    _answer_image(req, resp, image)


def _create_backup(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
                   value: Any) -> None:
    body.validate(value, _CREATE_BACKUP)
    rotation = params.integer("rotation", value["rotation"], minimum=0)
    image = compute_api.backup(handlers.ctx(req), instance, value["name"],
                               value["backup_type"], rotation, value.get("metadata") or {})
    _answer_image(req, resp, image)


def _console_output(req: falcon.Request, resp: falcon.Response,
                    instance: InstanceRecord, value: Any) -> None:
    body.validate(value, _CONSOLE)
    length = (value or {}).get("length")
    if length is not None:
        length = params.integer("length", length, minimum=-1)
        length = None if length == -1 else length
    output = compute_api.console_output(handlers.ctx(req), instance, length)
    resp.media = {"output": _CONTROL.sub("", output)}


def _lock(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
          value: Any) -> None:
    body.validate(value, _EMPTY)
    compute_api.lock(handlers.ctx(req), instance)
    resp.status = 202


def _unlock(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
            value: Any) -> None:
    body.validate(value, _EMPTY)
    compute_api.unlock(handlers.ctx(req), instance)
    resp.status = 202


def _reset_state(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
                 value: Any) -> None:
    body.validate(value, _RESET_STATE)
    compute_api.reset_state(handlers.ctx(req), instance, value["state"] == "active")
    resp.status = 202


def _force_delete(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
                  value: Any) -> None:
    """Deletes are immediate here (no soft delete), so forceDelete is a delete."""
    body.validate(value, _EMPTY)
    compute_api.delete(handlers.ctx(req), instance)
    resp.status = 202


def _restore(_req: falcon.Request, _resp: falcon.Response, instance: InstanceRecord,
             _value: Any) -> None:
    raise exceptions.InstanceInvalidState(action="restore", instance_id=instance.uuid,
                                          attr="vm_state", state=instance.vm_state)


def _security_group(adding: bool) -> Handler:
    """addSecurityGroup / removeSecurityGroup."""
    def handle(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
               value: Any) -> None:
        body.validate(value, _SECURITY_GROUP)
        compute_api.set_security_group(handlers.ctx(req), instance, value["name"], adding)
        resp.status = 202
    return handle


def _checked(schema: dict, handler: Handler) -> Handler:
    def handle(req: falcon.Request, resp: falcon.Response, instance: InstanceRecord,
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
    "migrate": _migrate, "os-migrateLive": _live_migrate, "evacuate": _evacuate,
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

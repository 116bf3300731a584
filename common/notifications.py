"""Versioned notifications in Nova's format, on the ``notifications`` topic.

``instance.<action>.<phase>`` events carry an InstanceActionPayload built from the
instance dict every service already has (compute_instances.to_dict), so agents emit
them without the database. A notification that cannot be sent is logged, never raised:
it must not fail the operation it reports.
"""
import os
import threading
import traceback as tb
from collections.abc import Mapping
from typing import Any

from oslo_log import log as logging

from common import context, rpc
from common.compute_states import PowerState

LOG = logging.getLogger(__name__)

PAYLOAD_VERSION = "1.8"
_lock = threading.Lock()
_notifiers: dict[tuple[int, str], Any] = {}


def _notifier(publisher_id: str) -> Any:
    key = (os.getpid(), publisher_id)
    with _lock:
        if key not in _notifiers:
            _notifiers[key] = rpc.get_notifier(publisher_id)
        return _notifiers[key]


def reset() -> None:
    """Forget cached notifiers (their transport was cleaned up, e.g. between tests)."""
    with _lock:
        _notifiers.clear()


def _versioned(name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"nova_object.name": name, "nova_object.namespace": "nova",
            "nova_object.version": PAYLOAD_VERSION, "nova_object.data": dict(data)}


def _flavor_payload(flavor: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not flavor:
        return None
    return _versioned("FlavorPayload", {
        "flavorid": flavor.get("id"), "name": flavor.get("name"),
        "memory_mb": flavor.get("memory_mb"), "vcpus": flavor.get("vcpus"),
        "root_gb": flavor.get("root_gb"), "ephemeral_gb": flavor.get("ephemeral_gb"),
        "swap": flavor.get("swap"), "rxtx_factor": flavor.get("rxtx_factor"),
        "is_public": flavor.get("is_public"), "extra_specs": flavor.get("extra_specs", {}),
        "description": flavor.get("description")})


def fault_payload(error: BaseException | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """ExceptionPayload of an exception (or of a fault dict {message, code, details})."""
    if error is None:
        return None
    if isinstance(error, BaseException):
        frames = tb.extract_tb(error.__traceback__)
        last = frames[-1] if frames else None
        data = {"exception": type(error).__name__, "exception_message": str(error),
                "function_name": last.name if last else "",
                "module_name": type(error).__module__,
                "traceback": "".join(tb.format_exception(error))}
    else:
        data = {"exception": error.get("exception", "Exception"),
                "exception_message": error.get("message", ""), "function_name": "",
                "module_name": "", "traceback": error.get("details", "")}
    return _versioned("ExceptionPayload", data)


def instance_payload(instance: Mapping[str, Any], ctxt: context.RequestContext | None = None,
                     fault: Any = None) -> dict[str, Any]:
    """Nova's InstanceActionPayload of an instance dict."""
    power = PowerState.NAMES.get(instance.get("power_state") or 0, "pending")
    data = {
        "uuid": instance["uuid"], "display_name": instance.get("display_name"),
        "display_description": instance.get("display_description"),
        "host": instance.get("host"), "node": instance.get("node"),
        "host_name": instance.get("hostname"), "tenant_id": instance.get("project_id"),
        "user_id": instance.get("user_id"), "state": instance.get("vm_state"),
        "task_state": instance.get("task_state"), "power_state": power,
        "flavor": _flavor_payload(instance.get("flavor")),
        "image_uuid": instance.get("image_ref"), "key_name": instance.get("key_name"),
        "metadata": instance.get("metadata", {}),
        "availability_zone": instance.get("availability_zone"),
        "created_at": instance.get("created_at"), "updated_at": instance.get("updated_at"),
        "launched_at": instance.get("launched_at"),
        "terminated_at": instance.get("terminated_at"),
        "deleted_at": instance.get("deleted_at"), "locked": instance.get("locked", False),
        "auto_disk_config": "MANUAL", "ip_addresses": [], "block_devices": [],
        "action_initiator_user": getattr(ctxt, "user_id", None),
        "action_initiator_project": getattr(ctxt, "project_id", None),
        "fault": fault_payload(fault),
    }
    return _versioned("InstanceActionPayload", data)


def notify_instance(ctxt: context.RequestContext, instance: Mapping[str, Any], action: str,
                    phase: str | None, publisher: str, host: str, fault: Any = None) -> None:
    """Send ``instance.<action>.<phase>`` (error phases with ERROR priority)."""
    event_type = f"instance.{action}" + (f".{phase}" if phase else "")
    try:
        notifier = _notifier(f"{publisher}:{host}")
        payload = instance_payload(instance, ctxt, fault)
        if phase == "error":
            notifier.error(ctxt, event_type, payload)
        else:
            notifier.info(ctxt, event_type, payload)
    except Exception:
        LOG.exception("could not send notification %s for instance %s", event_type,
                      instance.get("uuid"))


def notify(ctxt: context.RequestContext, publisher_id: str, event_type: str,
           payload: Mapping[str, Any]) -> None:
    """Send an info notification with a plain payload (Neutron's ``port.create.end`` and
    the like)."""
    try:
        _notifier(publisher_id).info(ctxt, event_type, dict(payload))
    except Exception:
        LOG.exception("could not send notification %s", event_type)

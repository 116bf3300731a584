"""os-instance-actions bodies: 2.51 always shows events (tracebacks to admins only),
2.58 adds updated_at, 2.62 each event's hostId (and host, to admins)."""
import hashlib
from typing import Any

from common.db.api import compute_actions
from services.api.compute.microversion import Version
from services.api.compute.views import common


def action(row: compute_actions.ActionRecord, version: Version) -> dict[str, Any]:
    body = {"action": row.action, "instance_uuid": row.instance_uuid,
            "request_id": row.request_id, "user_id": row.user_id or "",
            "project_id": row.project_id or "", "start_time": common.iso(row.start_time),
            "message": row.message}
    if version >= (2, 58):
        body["updated_at"] = common.iso(row.updated_at or row.start_time)
    return body


def event(row: compute_actions.EventRecord, with_traceback: bool, version: Version,
          project_id: str, with_host: bool) -> dict[str, Any]:
    body = {"event": row.event, "start_time": common.iso(row.start_time),
            "finish_time": common.iso(row.finish_time), "result": row.result}
    if with_traceback:
        body["traceback"] = row.traceback
    if version >= (2, 62):
        body["hostId"] = hashlib.sha224((project_id + row.host).encode()).hexdigest() \
            if row.host else ""
        if with_host:
            body["host"] = row.host or ""
    return body

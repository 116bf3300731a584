"""/servers/{id}/os-instance-actions: what was done to a server, with events.

Deleted servers' actions are readable from 2.21; 2.58 pages by request id (limit,
marker) and filters by changes-since, 2.66 by changes-before too.
"""
import datetime
from collections.abc import Callable
from typing import Any

import falcon

from common import exceptions
from common.db.api import compute_actions
from common.db.api.compute_instances import InstanceRecord
from services.api import handlers
from services.api.compute import microversion, params, policies, server_data, server_list
from services.api.compute.views import common
from services.api.compute.views import instance_actions as views


def _server(req: falcon.Request, server_id: str, rule: str) -> InstanceRecord:
    read_deleted = "yes" if microversion.version(req) >= (2, 21) else "no"
    return server_data.get_server(req, server_id, rule, read_deleted)


def page(req: falcon.Request, rows: list, key: Callable[[Any], str],
         changed: Callable[[Any], datetime.datetime]) -> tuple[list, int | None]:
    """Paging over rows newest first (2.58 actions, 2.59 migrations): changes-since
    (and changes-before from 2.66) on ``changed``, then a marker (``key``) and a limit."""
    window = server_list.change_window(req, microversion.version(req))
    if "changes-since" in window:
        rows = [row for row in rows if changed(row) >= window["changes-since"]]
    if "changes-before" in window:
        rows = [row for row in rows if changed(row) <= window["changes-before"]]
    marker = handlers.query(req, "marker")
    if marker is not None:
        ids = [key(row) for row in rows]
        if marker not in ids:
            raise exceptions.BadRequest(f"Marker {marker} could not be found.")
        rows = rows[ids.index(marker) + 1:]
    asked = handlers.query(req, "limit")
    if asked is None:
        return rows, None
    limit = params.integer("limit", asked, minimum=0)
    return rows[:limit], limit


class InstanceActions:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        uuid = _server(req, server_id, "compute:instance_actions:list").uuid
        version = microversion.version(req)
        rows, limit = compute_actions.list_actions(handlers.ctx(req), uuid), None
        if version >= (2, 58):
            rows, limit = page(req, rows, lambda row: row.request_id,
                               lambda row: row.updated_at or row.start_time)
        resp.media = {"instanceActions": [views.action(row, version) for row in rows]}
        more = common.next_links(req, rows, limit, "", lambda row: row.request_id)
        if more:
            resp.media["links"] = more


class InstanceAction:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               request_id: str) -> None:
        ctx = handlers.ctx(req)
        instance = _server(req, server_id, "compute:instance_actions:show")
        version = microversion.version(req)
        action, events = compute_actions.get_action(ctx, instance.uuid, request_id)
        body = views.action(action, version)
        tracebacks = policies.allowed(ctx, "compute:instance_actions:events:traceback")
        hosts = policies.allowed(ctx, "compute:instance_actions:events:host")
        if version >= (2, 51) or tracebacks:
            body["events"] = [views.event(event, tracebacks, version, instance.project_id,
                                          hosts) for event in events]
        resp.media = {"instanceAction": body}

"""/servers/{id}/os-instance-actions: what was done to a server, with events.

Deleted servers' actions are readable from 2.21; 2.58 pages by request id (limit,
marker) and filters by changes-since.
"""
import falcon

from common import exceptions
from common.db.api import compute_actions
from services.api import handlers
from services.api.compute import microversion, params, policies, server_data, server_list
from services.api.compute.views import common
from services.api.compute.views import instance_actions as views


def _server(req: falcon.Request, server_id: str, rule: str) -> str:
    read_deleted = "yes" if microversion.version(req) >= (2, 21) else "no"
    return server_data.get_server(req, server_id, rule, read_deleted).uuid


def _page(req: falcon.Request, rows: list) -> tuple[list, int | None]:
    """2.58 paging over the actions, newest first."""
    since = handlers.query(req, "changes-since")
    if since is not None:
        moment = server_list.parse_time("changes-since", since)
        rows = [row for row in rows if (row.updated_at or row.start_time) >= moment]
    marker = handlers.query(req, "marker")
    if marker is not None:
        ids = [row.request_id for row in rows]
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
        uuid = _server(req, server_id, "compute:instance_actions:list")
        version = microversion.version(req)
        rows, limit = compute_actions.list_actions(handlers.ctx(req), uuid), None
        if version >= (2, 58):
            rows, limit = _page(req, rows)
        resp.media = {"instanceActions": [views.action(row, version) for row in rows]}
        more = common.next_links(req, rows, limit, "", lambda row: row.request_id)
        if more:
            resp.media["links"] = more


class InstanceAction:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               request_id: str) -> None:
        ctx = handlers.ctx(req)
        uuid = _server(req, server_id, "compute:instance_actions:show")
        version = microversion.version(req)
        action, events = compute_actions.get_action(ctx, uuid, request_id)
        body = views.action(action, version)
        tracebacks = policies.allowed(ctx, "compute:instance_actions:events:traceback")
        if version >= (2, 51) or tracebacks:
            body["events"] = [views.event(event, tracebacks) for event in events]
        resp.media = {"instanceAction": body}

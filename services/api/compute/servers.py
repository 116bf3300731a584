"""/servers: list (summary and detail), create, show, update, delete."""
import falcon

from common import policy
from common.db.api import compute_instances
from services.api import body, handlers
from services.api.compute import (
    microversion,
    params,
    schemas,
    server_create,
    server_data,
    server_list,
)
from services.api.compute.views import common
from services.api.compute.views import servers as views
from services.compute import api as compute_api


def _list(req: falcon.Request) -> tuple[list, server_list.ListQuery]:
    policy.authorize(handlers.ctx(req), "compute:servers:index")
    query = server_list.parse(req)
    if query.empty:
        return [], query
    rows = compute_instances.list_instances(handlers.ctx(req), query.filters, query.limit,
                                            query.marker, query.sort_keys,
                                            query.sort_dirs, query.read_deleted)
    return rows, query


def _page(req: falcon.Request, resp: falcon.Response, rows: list, items: list[dict],
          limit: int) -> None:
    resp.media = {"servers": items}
    more = common.next_links(req, rows, limit, "", lambda row: row.uuid)
    if more:
        resp.media["servers_links"] = more


class Servers:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        rows, query = _list(req)
        _page(req, resp, rows, [views.summary(row) for row in rows], query.limit)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        document = body.json_body(req, schemas.server_create(microversion.version(req)))
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:servers:create")
        created = compute_api.create(ctx, server_create.parse(document))
        server = document["server"]
        resp.status = 202
        if params.boolean("return_reservation_id",
                          server.get("return_reservation_id") or False):
            resp.media = {"reservation_id": created.reservation_id}
            return
        first = created.instances[0]
        resp.location = common.links("servers", first.uuid)[0]["href"]
        resp.media = {"server": {
            "id": first.uuid, "links": common.links("servers", first.uuid),
            "OS-DCF:diskConfig": "MANUAL", "adminPass": created.admin_pass,
            "security_groups": [{"name": name} for name in created.security_groups]}}


class ServersDetail:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        rows, query = _list(req)
        extras = server_data.extras(req, rows)
        _page(req, resp, rows, [views.show(row, extras) for row in rows], query.limit)


class Server:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        instance = server_data.get_server(req, server_id, "compute:servers:show")
        resp.media = {"server": views.show(instance, server_data.extras(req, [instance]))}

    def on_put(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        values = body.json_body(req, schemas.server_update(microversion.version(req)))
        changes = values["server"]
        instance = server_data.get_server(req, server_id, "compute:servers:update")
        update = server_create.server_changes(changes)
        if update:
            instance = compute_instances.update(handlers.ctx(req), instance.uuid, update)
        resp.media = {"server": views.common_fields(
            instance, server_data.extras(req, [instance], full=False),
            extended_addresses=False)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        ctx = handlers.ctx(req)
        instance = server_data.get_server(req, server_id, "compute:servers:delete")
        server_data.check_unlocked(req, instance)
        compute_api.delete(ctx, instance)
        resp.status = 204

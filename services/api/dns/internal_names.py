"""/v2/strato/internal_names[/{internal_name_id}] (admin): names OVN answers inside
tenant networks, e.g. ``universe.local.`` -> addresses, in one network or in all.

Each write casts ``sync_network`` so the dns agent rewrites the OVN DNS rows.
"""
import falcon

from common import policy
from common.db.api import dns_internal
from services.api import handlers, pagination
from services.api.dns import agent, params, schemas
from services.api.dns.views import collection
from services.api.dns.views import internal_names as views


class InternalNames:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctxt = handlers.ctx(req)
        policy.authorize(ctxt, "dns:list_internal_names", {})
        query = params.list_params(req)
        network_id = handlers.query(req, "network_id")
        rows = dns_internal.list_internal_names(ctxt, network_id, query.limit, query.marker)
        resp.media = collection("internal_names", [views.internal_name(r) for r in rows],
                                pagination.self_link(req),
                                pagination.next_link(req, rows, query.limit),
                                dns_internal.count_internal_names(ctxt, network_id))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctxt = handlers.ctx(req)
        policy.authorize(ctxt, "dns:create_internal_name", {})
        values = params.json_object(req, schemas.INTERNAL_NAME_CREATE)
        row = dns_internal.create_internal_name(ctxt, **values)
        agent.sync_network(req, row.network_id)
        resp.status = 201
        resp.media = views.internal_name(row)


class InternalName:
    def on_get(self, req: falcon.Request, resp: falcon.Response,
               internal_name_id: str) -> None:
        params.uuid_param("internal_name_id", internal_name_id)
        ctxt = handlers.ctx(req)
        policy.authorize(ctxt, "dns:get_internal_name", {})
        resp.media = views.internal_name(dns_internal.get_internal_name(ctxt, internal_name_id))

    def on_patch(self, req: falcon.Request, resp: falcon.Response,
                 internal_name_id: str) -> None:
        params.uuid_param("internal_name_id", internal_name_id)
        ctxt = handlers.ctx(req)
        policy.authorize(ctxt, "dns:update_internal_name", {})
        values = params.json_object(req, schemas.INTERNAL_NAME_UPDATE)
        row = dns_internal.update_internal_name(ctxt, internal_name_id, values)
        agent.sync_network(req, row.network_id)
        resp.media = views.internal_name(row)

    def on_delete(self, req: falcon.Request, resp: falcon.Response,
                  internal_name_id: str) -> None:
        params.uuid_param("internal_name_id", internal_name_id)
        ctxt = handlers.ctx(req)
        policy.authorize(ctxt, "dns:delete_internal_name", {})
        row = dns_internal.delete_internal_name(ctxt, internal_name_id)
        agent.sync_network(req, row.network_id)
        resp.status = 204

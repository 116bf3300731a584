"""/v2/tlds and /v2/tlds/{tld_id} (admin): once a TLD exists, zones must end in one."""
import falcon

from common import policy
from common.db.api import dns_tlds
from services.api import handlers, pagination
from services.api.dns import params, schemas
from services.api.dns.views import collection
from services.api.dns.views import tlds as views

_FILTERS = ("name", "description")


class Tlds:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "dns:list_tlds", {})
        query = params.list_params(req, _FILTERS)
        rows = dns_tlds.list_tlds(handlers.ctx(req), query.filters, query.limit,
                                  query.marker, query.sort_key, query.sort_dir)
        resp.media = collection("tlds", [views.tld(row) for row in rows],
                                pagination.self_link(req),
                                pagination.next_link(req, rows, query.limit),
                                dns_tlds.count_tlds(handlers.ctx(req), query.filters))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "dns:create_tld", {})
        values = params.json_object(req, schemas.TLD_CREATE)
        resp.status = 201
        resp.media = views.tld(dns_tlds.create_tld(handlers.ctx(req), **values))


class Tld:
    def on_get(self, req: falcon.Request, resp: falcon.Response, tld_id: str) -> None:
        params.uuid_param("tld_id", tld_id)
        policy.authorize(handlers.ctx(req), "dns:get_tld", {})
        resp.media = views.tld(dns_tlds.get_tld(handlers.ctx(req), tld_id))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, tld_id: str) -> None:
        params.uuid_param("tld_id", tld_id)
        policy.authorize(handlers.ctx(req), "dns:update_tld", {})
        values = params.json_object(req, schemas.TLD_UPDATE)
        resp.media = views.tld(dns_tlds.update_tld(handlers.ctx(req), tld_id, values))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, tld_id: str) -> None:
        params.uuid_param("tld_id", tld_id)
        policy.authorize(handlers.ctx(req), "dns:delete_tld", {})
        dns_tlds.delete_tld(handlers.ctx(req), tld_id)
        resp.status = 204

"""/v2/zones/{zone_id}/shares[/{share_id}] (API 2.1): share a zone with other projects.

What a project the zone is shared with may then do is common.db.api.dns_shares's.
"""
import falcon

from common import policy
from common.db.api import dns_shares
from services.api import handlers, pagination
from services.api.dns import params, schemas, scope
from services.api.dns.views import collection
from services.api.dns.views import shares as views


class ZoneShares:
    def on_get(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:list_zone_shares", scope.target(seen))
        query = params.list_params(req, dns_shares.SHARE_FILTERS)
        rows = dns_shares.list_shares(handlers.ctx(req), zone_id, seen.project_id,
                                      query.filters, query.limit, query.marker,
                                      query.sort_key, query.sort_dir)
        total = dns_shares.count_shares(handlers.ctx(req), zone_id, seen.project_id, query.filters)
        resp.media = collection("shared_zones", [views.share(row) for row in rows],
                                pagination.self_link(req),
                                pagination.next_link(req, rows, query.limit), total)

    def on_post(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:share_zone", scope.target(seen))
        values = params.json_object(req, schemas.ZONE_SHARE_CREATE)
        share = dns_shares.create_share(handlers.ctx(req), zone_id,
                                        values["target_project_id"], seen.owner,
                                        seen.project_id)
        resp.status = 201
        resp.media = views.share(share)


class ZoneShare:
    def on_get(self, req: falcon.Request, resp: falcon.Response, zone_id: str,
               share_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        params.uuid_param("share_id", share_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_zone_share", scope.target(seen))
        resp.media = views.share(dns_shares.get_share(handlers.ctx(req), zone_id, share_id,
                                                        seen.project_id))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, zone_id: str,
                  share_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        params.uuid_param("share_id", share_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:unshare_zone", scope.target(seen))
        dns_shares.delete_share(handlers.ctx(req), zone_id, share_id, seen.project_id)
        resp.status = 204

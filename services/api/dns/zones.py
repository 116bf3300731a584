"""/v2/zones, /v2/zones/{zone_id} and /v2/zones/{zone_id}/nameservers."""
import falcon

from common import policy
from common.db.api import dns as dns_api
from services.api import handlers, pagination
from services.api.dns import agent, params, schemas, scope
from services.api.dns.views import collection
from services.api.dns.views import zones as views


class Zones:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:list_zones", scope.target(seen))
        query = params.list_params(req, dns_api.ZONE_FILTERS)
        rows = dns_api.list_zones(handlers.ctx(req), seen.project_id, query.filters,
                                  query.limit, query.marker, query.sort_key,
                                  query.sort_dir)
        total = dns_api.count_zones(handlers.ctx(req), seen.project_id, query.filters)
        resp.media = collection("zones", [views.zone(row) for row in rows],
                                pagination.self_link(req),
                                pagination.next_link(req, rows, query.limit), total)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:create_zone", scope.target(seen))
        values = params.json_object(req, schemas.ZONE_CREATE)
        zone = dns_api.create_zone(handlers.ctx(req), seen.owner, **values)
        agent.sync_zone(req, zone.id)
        resp.status = 202
        resp.media = views.zone(zone)


class Zone:
    def on_get(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_zone", scope.target(seen))
        zone = dns_api.get_zone(handlers.ctx(req), zone_id, seen.project_id)
        resp.media = views.zone(zone)

    def on_patch(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:update_zone", scope.target(seen))
        values = params.json_object(req, schemas.ZONE_UPDATE)
        zone = dns_api.update_zone(handlers.ctx(req), zone_id, values, seen.project_id)
        agent.sync_zone(req, zone.id)
        resp.status = 202
        resp.media = views.zone(zone)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:delete_zone", scope.target(seen))
        zone = dns_api.delete_zone(handlers.ctx(req), zone_id, seen.project_id,
                                   scope.delete_shares(req))
        agent.sync_zone(req, zone.id)
        resp.status = 202
        resp.media = views.zone(zone)


class ZoneNameservers:
    def on_get(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_zone_nameservers", scope.target(seen))
        found = dns_api.list_nameservers(handlers.ctx(req), zone_id, seen.project_id)
        resp.media = views.nameservers(found)

"""/v2/reverse/floatingips and /v2/reverse/floatingips/{region}:{floatingip_id}: the
PTR of a floating IP, set with PATCH {"ptrdname": ...} and unset with {"ptrdname": null}
(common.db.api.dns_reverse: the reverse zone must exist)."""
import falcon

from common import exceptions, policy
from common.config import CONF
from common.db.api import dns_reverse
from services.api import handlers, pagination
from services.api.dns import agent, params, schemas, scope
from services.api.dns.views import collection
from services.api.dns.views import reverse as views


def _floatingip_id(fip_key: str) -> str:
    region, _, fip_id = fip_key.rpartition(":")
    if region != CONF.identity.region:
        raise exceptions.NotFound(f"Floating IP {fip_key} could not be found.")
    return params.uuid_param("floatingip_id", fip_id)


class FloatingIPs:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:list_ptrs", scope.target(seen))
        rows = dns_reverse.list_ptrs(handlers.ctx(req), seen.project_id)
        resp.media = collection("floatingips", [views.ptr(row) for row in rows],
                                pagination.self_link(req), None, len(rows))


class FloatingIP:
    def on_get(self, req: falcon.Request, resp: falcon.Response, fip_key: str) -> None:
        fip_id = _floatingip_id(fip_key)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_ptr", scope.target(seen))
        ptr = dns_reverse.get_ptr(handlers.ctx(req), fip_id, seen.project_id)
        resp.media = views.ptr(ptr)

    def on_patch(self, req: falcon.Request, resp: falcon.Response, fip_key: str) -> None:
        fip_id = _floatingip_id(fip_key)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:set_ptr", scope.target(seen))
        values = params.json_object(req, schemas.PTR)
        if values["ptrdname"] is None:
            row, zone_id = dns_reverse.unset_ptr(handlers.ctx(req), fip_id, seen.project_id)
        else:
            row, zone_id = dns_reverse.set_ptr(handlers.ctx(req), fip_id, seen.project_id,
                                               **values)
        if zone_id is not None:
            agent.sync_zone(req, zone_id)
        resp.status = 202
        resp.media = views.ptr(row)

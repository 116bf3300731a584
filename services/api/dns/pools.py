"""/v2/pools and /v2/pools/{pool_id} (admin, read only): Strato has one pool, its dns
agent's backends, whose nameservers are [dns] nameservers."""
import falcon

from common import exceptions, policy
from common.config import CONF
from common.db.api import dns as dns_api
from services.api import handlers, pagination
from services.api.dns import params
from services.api.dns.views import collection
from services.api.dns.views import zones as views


def _pool() -> dict:
    return views.pool(CONF.dns.pool_id, dns_api.nameservers())


class Pools:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "dns:list_pools", {})
        resp.media = collection("pools", [_pool()], pagination.self_link(req), None, 1)


class Pool:
    def on_get(self, req: falcon.Request, resp: falcon.Response, pool_id: str) -> None:
        params.uuid_param("pool_id", pool_id)
        policy.authorize(handlers.ctx(req), "dns:get_pool", {})
        if pool_id != CONF.dns.pool_id:
            raise exceptions.NotFound("Could not find Pool")
        resp.media = _pool()

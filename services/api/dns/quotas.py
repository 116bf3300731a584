"""/v2/quotas (the caller's project) and /v2/quotas/{project_id}: read by the project's
readers, set and reset by admins. Bodies are flat: ``{"zones": 10, ...}``."""
import falcon

from common import policy
from common.db.api import dns_quotas
from services.api import handlers
from services.api.dns import params, schemas


class OwnQuotas:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "dns:get_quotas", {"project_id": ctx.scoped_project_id})
        resp.media = dns_quotas.get_quotas(ctx, ctx.scoped_project_id)


class Quotas:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "dns:get_quotas", {"project_id": project_id})
        resp.media = dns_quotas.get_quotas(ctx, project_id)

    def on_patch(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "dns:set_quotas", {"project_id": project_id})
        values = params.json_object(req, schemas.QUOTAS)
        resp.media = dns_quotas.set_quotas(ctx, project_id, values)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "dns:reset_quotas", {"project_id": project_id})
        dns_quotas.reset_quotas(ctx, project_id)
        resp.status = 204

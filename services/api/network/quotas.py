"""/v2.0/quotas: per-project limits of networking resources (with the quota_details
extension's used/limit/reserved view and the defaults)."""
import falcon

from common import policy
from common.db.api import network_quotas as quotas_db
from services.api import body, handlers
from services.api.network import schemas
from services.api.network.resources import envelope


class Quotas:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:list_quotas")
        resp.media = {"quotas": quotas_db.list_quotas(ctx)}


class Quota:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:get_quota", {"project_id": project_id})
        resp.media = {"quota": quotas_db.get_quota(ctx, project_id)}

    def on_put(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:update_quota")
        limits = schemas.quota_limits(envelope(body.json_body(req), "quota"))
        resp.media = {"quota": quotas_db.update_quota(ctx, project_id, limits)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response,
                  project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:delete_quota")
        quotas_db.delete_quota(ctx, project_id)
        resp.status = 204


class QuotaDetails:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:get_quota", {"project_id": project_id})
        resp.media = {"quota": quotas_db.get_quota_details(ctx, project_id)}


class QuotaDefaults:
    def on_get(self, req: falcon.Request, resp: falcon.Response, project_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:get_quota", {"project_id": project_id})
        resp.media = {"quota": quotas_db.default_quota(ctx, project_id)}

"""Role grants: /v3/{projects|domains}/{id}/{users|groups}/{id}/roles[/{role}] and
/v3/system/{users|groups}/{id}/roles[/{role}]."""
import falcon

from common import policy
from common.db.api import identity_assignments as assignments_db
from services.api import handlers, pagination
from services.api.identity.views import entities as views


class _Routes:
    """``target_type`` and ``actor_type`` are fixed per route, so one class serves all six
    route shapes."""

    def __init__(self, target_type: str, actor_type: str) -> None:
        self.target_type = target_type
        self.actor_type = actor_type

    def _target(self, params: dict) -> str:
        return params.get(f"{self.target_type}_id", assignments_db.SYSTEM)


class Grants(_Routes):
    """The roles of one actor on one target."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, actor_id: str,
               **params: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_grants", {})
        rows = assignments_db.list_grants(handlers.ctx(req), self.actor_type, actor_id,
                                          self.target_type, self._target(params))
        resp.media = views.collection("roles", [views.role(r) for r in rows],
                                      pagination.self_link(req))


class Grant(_Routes):
    def on_put(self, req: falcon.Request, resp: falcon.Response, actor_id: str,
               role_id: str, **params: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:create_grant", {})
        assignments_db.grant(handlers.ctx(req), self.actor_type, actor_id, self.target_type,
                             self._target(params), role_id)
        resp.status = 204

    def on_head(self, req: falcon.Request, resp: falcon.Response, actor_id: str,
                role_id: str, **params: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:check_grant", {})
        assignments_db.check_grant(handlers.ctx(req), self.actor_type, actor_id, self.target_type,
                                   self._target(params), role_id)
        resp.status = 204

    on_get = on_head

    def on_delete(self, req: falcon.Request, resp: falcon.Response, actor_id: str,
                  role_id: str, **params: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:revoke_grant", {})
        assignments_db.revoke_grant(handlers.ctx(req), self.actor_type, actor_id, self.target_type,
                                    self._target(params), role_id)
        resp.status = 204

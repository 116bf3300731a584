"""What the caller's token may be scoped to: /v3/auth/projects, /v3/auth/domains, and
its catalog: /v3/auth/catalog."""
import falcon

from common import exceptions, policy
from common.db.api import identity as identity_db
from common.db.api import identity_assignments as assignments_db
from services.api import handlers, pagination
from services.api.auth import lookups
from services.api.identity.views import catalog as catalog_views
from services.api.identity.views import entities as views


class AuthProjects:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:get_auth_projects", {})
        rows = identity_db.list_projects(
            ctx, ids=assignments_db.target_ids(ctx, ctx.scoped_user_id, "project"), enabled=True)
        resp.media = views.collection("projects", [views.project(r) for r in rows],
                                      pagination.self_link(req))


class AuthDomains:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:get_auth_domains", {})
        rows = identity_db.list_domains(
            ctx, ids=assignments_db.target_ids(ctx, ctx.scoped_user_id, "domain"), enabled=True)
        resp.media = views.collection("domains", [views.domain(r) for r in rows],
                                      pagination.self_link(req))


class AuthCatalog:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:get_auth_catalog", {})
        if not (ctx.project_id or ctx.domain_id or ctx.system_scope):
            raise exceptions.Forbidden("An unscoped token has no catalog.")
        resp.media = {"catalog": catalog_views.token_catalog(lookups.catalog()),
                      "links": {"self": pagination.self_link(req), "previous": None,
                                "next": None}}

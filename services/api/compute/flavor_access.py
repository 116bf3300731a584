"""Private flavors' project access: GET /flavors/{id}/os-flavor-access and the
addTenantAccess / removeTenantAccess flavor actions."""
import falcon

from common import exceptions, policy
from common.db.api import compute_flavors
from services.api import body, handlers

_TENANT = {"type": "object", "required": ["tenant"], "additionalProperties": False,
           "properties": {"tenant": {"type": "string", "minLength": 1, "maxLength": 255}}}
ACTION = {"type": "object", "minProperties": 1, "maxProperties": 1,
          "additionalProperties": False,
          "properties": {"addTenantAccess": _TENANT, "removeTenantAccess": _TENANT}}


def _view(flavor_id: str, projects: list[str]) -> dict:
    return {"flavor_access": [{"flavor_id": flavor_id, "tenant_id": project}
                              for project in projects]}


class FlavorAccess:
    def on_get(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:flavor_access:index", {})
        flavor = compute_flavors.get(ctx, flavor_id)
        if flavor.is_public:
            raise exceptions.NotFound("Access list not available for public flavors.")
        resp.media = _view(flavor_id, flavor.projects)


class FlavorAction:
    def on_post(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:flavor_access:manage", {})
        action = body.json_body(req, ACTION)
        if "addTenantAccess" in action:
            if compute_flavors.get(ctx, flavor_id).is_public:
                raise exceptions.Conflict("Can not add access to a public flavor.")
            projects = compute_flavors.add_access(ctx, flavor_id,
                                                  action["addTenantAccess"]["tenant"])
        else:
            projects = compute_flavors.remove_access(ctx, flavor_id,
                                                     action["removeTenantAccess"]["tenant"])
        resp.media = _view(flavor_id, projects)

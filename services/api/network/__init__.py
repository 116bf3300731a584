"""The network API (Neutron v2.0), mounted at /network.

Routes map to one module per resource; most share the collection/item handlers of
resources.py. Errors leave as Neutron's ``{"NeutronError": {"type", "message",
"detail"}}``, the type being the exception's class name (NetworkNotFound, ...).
"""
import falcon

from common import exceptions
from services.api.network import (
    extensions,
    floatingips,
    networks,
    policies,
    ports,
    quotas,
    resources,
    routers,
    security_groups,
    subnets,
    tags,
    versions,
)
from services.api.spec import APIError, APISpec

PREFIX = "/network"

# URL collection -> the resource behind it.
KINDS = {
    "networks": networks.KIND,
    "subnets": subnets.KIND,
    "ports": ports.KIND,
    "routers": routers.KIND,
    "floatingips": floatingips.KIND,
    "security-groups": security_groups.GROUPS,
    "security-group-rules": security_groups.RULES,
}


# Strato's generic errors (a malformed body, a policy refusal) carry no Neutron name of
# their own: they leave with the HTTP one, as Neutron's own generic faults do.
_GENERIC = (exceptions.BadRequest, exceptions.Unauthorized, exceptions.Forbidden,
            exceptions.NotFound, exceptions.MethodNotAllowed, exceptions.Conflict,
            exceptions.PayloadTooLarge)

# Neutron names that another API's exception already has in common.exceptions.
_RENAMED = {"NetworkOverQuota": "OverQuota"}


def error_type(error: APIError) -> str:
    """The exception's own name for Neutron's errors (e.g. NetworkNotFound), else the
    HTTP name Neutron uses for generic ones and routing failures (HTTPNotFound)."""
    if (isinstance(error.error, falcon.HTTPError) or error.status >= 500
            or type(error.error) in _GENERIC):
        return "HTTP" + error.title.replace(" ", "")
    return _RENAMED.get(error.type_name, error.type_name)


def error_body(error: APIError) -> dict:
    return {"NeutronError": {"type": error_type(error), "message": error.message,
                             "detail": ""}}


def add_routes(app: falcon.App, prefix: str) -> None:
    v2 = prefix + "/v2.0"
    app.add_route(prefix, versions.Versions())
    app.add_route(v2, versions.Version())
    for collection, kind in KINDS.items():
        app.add_route(f"{v2}/{collection}", resources.Collection(kind))
        app.add_route(f"{v2}/{collection}/{{resource_id}}", resources.item_resource(kind))
    for collection in tags.TAGGABLE:
        app.add_route(f"{v2}/{collection}/{{resource_id}}/tags", tags.Tags(collection))
        app.add_route(f"{v2}/{collection}/{{resource_id}}/tags/{{tag}}",
                      tags.Tag(collection))
    for action in ("add", "remove"):
        app.add_route(f"{v2}/routers/{{resource_id}}/{action}_router_interface",
                      routers.Interface(action))
    app.add_route(f"{v2}/extensions", extensions.Extensions())
    app.add_route(f"{v2}/extensions/{{alias}}", extensions.Extension())
    app.add_route(f"{v2}/quotas", quotas.Quotas())
    app.add_route(f"{v2}/quotas/{{project_id}}", quotas.Quota())
    app.add_route(f"{v2}/quotas/{{project_id}}/details", quotas.QuotaDetails())
    app.add_route(f"{v2}/quotas/{{project_id}}/default", quotas.QuotaDefaults())


ERROR_SCHEMA = {"type": "object", "required": ["NeutronError"], "properties": {
    "NeutronError": {"type": "object", "required": ["type", "message", "detail"],
                     "properties": {"type": {"type": "string"}, "message": {"type": "string"},
                                    "detail": {"type": "string"}}}}}

API = APISpec(name="network", prefix=PREFIX, add_routes=add_routes, error_body=error_body,
              error_schema=ERROR_SCHEMA, openapi_path="/v2.0/openapi.json",
              policies=policies.RULES)

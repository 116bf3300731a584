"""The DNS API (Designate v2), mounted at /dns.

Designate's resources under /dns/v2: zones (+ nameservers and shares), zone imports
(zones/tasks/imports), recordsets (per zone and across zones), tlds, pools (Strato's
one, read only), quotas, reverse/floatingips and service_statuses. Each write calls one
domain function (common.db.api.dns*) and casts ``sync_zone`` (or ``sync_network``) to
the dns agent, which serves the change within a second or two and flips the status to
ACTIVE.

Strato's extensions:

- forward zones: ``POST /dns/v2/zones`` with ``"type": "FORWARD"`` and ``"masters":
  ["address:port", ...]``: the built-in server relays queries under the zone to those
  resolvers (e.g. ``cluster.local.`` to a cluster's DNS). PATCH ``masters`` to change them.
- internal names, admin only: ``/dns/v2/strato/internal_names`` (GET, POST
  ``{"name", "addresses", "network_id"?, "description"?}``) and
  ``/dns/v2/strato/internal_names/{id}`` (GET, PATCH ``addresses``/``description``,
  DELETE): names OVN answers inside one tenant network, or all when network_id is null.

Errors leave as Designate's ``{"code", "type", "message", "request_id"}``; ``type`` is
the exception's ``error_type`` (invalid_object, zone_not_found, over_quota, ...).
"""
import falcon

from services.api.dns import (
    internal_names,
    policies,
    pools,
    quotas,
    recordsets,
    reverse,
    service_statuses,
    shares,
    tlds,
    versions,
    zone_imports,
    zones,
)
from services.api.spec import APIError, APISpec

PREFIX = "/dns"

TYPES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "request_too_large",
         415: "unsupported_content_type"}


def error_type(error: APIError) -> str:
    """The raising exception's Designate type, else one named after the status."""
    given = getattr(error.error, "error_type", None)
    if given and error.status < 500:
        return given
    return TYPES.get(error.status, "internal_server_error")


def error_body(error: APIError) -> dict:
    return {"code": error.status, "type": error_type(error), "message": error.message}


class ErrorRequestId:
    """Adds the request id to DNS error bodies, as Designate does."""

    def process_response(self, req: falcon.Request, resp: falcon.Response,
                         _resource: object, _req_succeeded: bool) -> None:
        media = resp.media
        if (req.path.startswith(PREFIX) and isinstance(media, dict)
                and resp.status_code >= 400 and "type" in media):
            media["request_id"] = getattr(req.context, "request_id", None)


def add_routes(app: falcon.App, prefix: str) -> None:
    v2 = prefix + "/v2"
    routes = {
        prefix: versions.Versions(),
        v2 + "/zones": zones.Zones(),
        v2 + "/zones/tasks/imports": zone_imports.ZoneImports(),
        v2 + "/zones/tasks/imports/{import_id}": zone_imports.ZoneImport(),
        v2 + "/zones/{zone_id}": zones.Zone(),
        v2 + "/zones/{zone_id}/nameservers": zones.ZoneNameservers(),
        v2 + "/zones/{zone_id}/shares": shares.ZoneShares(),
        v2 + "/zones/{zone_id}/shares/{share_id}": shares.ZoneShare(),
        v2 + "/zones/{zone_id}/recordsets": recordsets.ZoneRecordsets(),
        v2 + "/zones/{zone_id}/recordsets/{recordset_id}": recordsets.ZoneRecordset(),
        v2 + "/recordsets": recordsets.Recordsets(),
        v2 + "/recordsets/{recordset_id}": recordsets.Recordset(),
        v2 + "/tlds": tlds.Tlds(),
        v2 + "/tlds/{tld_id}": tlds.Tld(),
        v2 + "/pools": pools.Pools(),
        v2 + "/pools/{pool_id}": pools.Pool(),
        v2 + "/quotas": quotas.OwnQuotas(),
        v2 + "/quotas/{project_id}": quotas.Quotas(),
        v2 + "/reverse/floatingips": reverse.FloatingIPs(),
        v2 + "/reverse/floatingips/{fip_key}": reverse.FloatingIP(),
        v2 + "/service_statuses": service_statuses.ServiceStatuses(),
        v2 + "/strato/internal_names": internal_names.InternalNames(),
        v2 + "/strato/internal_names/{internal_name_id}": internal_names.InternalName(),
    }
    for template, resource in routes.items():
        app.add_route(template, resource)


ERROR_SCHEMA = {"type": "object", "required": ["code", "type", "message"],
                "properties": {"code": {"type": "integer"}, "type": {"type": "string"},
                               "message": {"type": "string"}}}

API = APISpec(name="dns", prefix=PREFIX, add_routes=add_routes, error_body=error_body,
              error_schema=ERROR_SCHEMA, openapi_path="/v2/openapi.json",
              policies=policies.RULES, middleware=(ErrorRequestId(),))

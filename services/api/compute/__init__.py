"""The compute API (Nova v2.1), mounted at /compute.

One module per resource, views/ for microversion-shaped bodies, microversion.py for the
version a request asks for; errors leave as Nova's ``{"<fault>": {"code", "message"}}``.
"""
import falcon

from services.api.compute import (
    aggregates,
    availability_zones,
    compute_services,
    flavor_access,
    flavor_extra_specs,
    flavors,
    hypervisors,
    instance_actions,
    keypairs,
    limits,
    microversion,
    migrations,
    policies,
    quota_sets,
    server_actions,
    server_groups,
    server_ips,
    server_metadata,
    server_security_groups,
    server_tags,
    servers,
    versions,
)
from services.api.spec import APIError, APISpec

PREFIX = "/compute"

# Nova's fault names, keyed by status (webob's names in Nova's fault wrapper).
FAULTS = {400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
          405: "badMethod", 406: "notAcceptable", 409: "conflictingRequest",
          413: "overLimit", 415: "badMediaType", 429: "overLimit", 501: "notImplemented",
          503: "serviceUnavailable"}


def error_body(error: APIError) -> dict:
    fault = FAULTS.get(error.status, "computeFault")
    return {fault: {"code": error.status, "message": error.message}}


def response_headers(req: falcon.Request, resp: falcon.Response) -> None:
    resp.set_header("x-compute-request-id", req.context.request_id)
    microversion.echo(req, resp)


def add_routes(app: falcon.App, prefix: str) -> None:
    v21 = prefix + "/v2.1"
    server = v21 + "/servers/{server_id}"
    flavor = v21 + "/flavors/{flavor_id}"
    hypervisor = v21 + "/os-hypervisors"
    quota = v21 + "/os-quota-sets/{project_id}"
    routes = {
        prefix: versions.Versions(),
        v21: versions.Version(),
        v21 + "/flavors": flavors.Flavors(),
        v21 + "/flavors/detail": flavors.FlavorsDetail(),
        flavor: flavors.Flavor(),
        flavor + "/action": flavor_access.FlavorAction(),
        flavor + "/os-flavor-access": flavor_access.FlavorAccess(),
        flavor + "/os-extra_specs": flavor_extra_specs.ExtraSpecs(),
        flavor + "/os-extra_specs/{key}": flavor_extra_specs.ExtraSpec(),
        v21 + "/os-keypairs": keypairs.Keypairs(),
        v21 + "/os-keypairs/{name}": keypairs.Keypair(),
        v21 + "/servers": servers.Servers(),
        v21 + "/servers/detail": servers.ServersDetail(),
        server: servers.Server(),
        server + "/action": server_actions.ServerAction(),
        server + "/metadata": server_metadata.ServerMetadata(),
        server + "/metadata/{key}": server_metadata.ServerMetadataItem(),
        server + "/tags": server_tags.ServerTags(),
        server + "/tags/{tag}": server_tags.ServerTag(),
        server + "/ips": server_ips.ServerIPs(),
        server + "/ips/{network}": server_ips.ServerNetworkIPs(),
        server + "/os-security-groups": server_security_groups.ServerSecurityGroups(),
        server + "/migrations": migrations.ServerMigrations(),
        server + "/migrations/{migration_id}": migrations.ServerMigration(),
        server + "/migrations/{migration_id}/action": migrations.ServerMigrationAction(),
        v21 + "/os-migrations": migrations.Migrations(),
        server + "/os-instance-actions": instance_actions.InstanceActions(),
        server + "/os-instance-actions/{request_id}": instance_actions.InstanceAction(),
        v21 + "/os-server-groups": server_groups.ServerGroups(),
        v21 + "/os-server-groups/{group_id}": server_groups.ServerGroup(),
        v21 + "/os-availability-zone": availability_zones.AvailabilityZones(),
        v21 + "/os-availability-zone/detail": availability_zones.AvailabilityZonesDetail(),
        hypervisor: hypervisors.Hypervisors(),
        hypervisor + "/detail": hypervisors.HypervisorsDetail(),
        hypervisor + "/statistics": hypervisors.HypervisorStatistics(),
        hypervisor + "/{hypervisor_id}": hypervisors.HypervisorItem(),
        hypervisor + "/{hypervisor_id}/search": hypervisors.HypervisorSearch(servers=False),
        hypervisor + "/{hypervisor_id}/servers": hypervisors.HypervisorSearch(servers=True),
        v21 + "/os-services": compute_services.Services(),
        v21 + "/os-services/{service_id}": compute_services.ServiceAction(),
        v21 + "/os-aggregates": aggregates.Aggregates(),
        v21 + "/os-aggregates/{aggregate_id}": aggregates.Aggregate(),
        v21 + "/os-aggregates/{aggregate_id}/action": aggregates.AggregateAction(),
        v21 + "/limits": limits.Limits(),
        quota: quota_sets.QuotaSet(),
        quota + "/detail": quota_sets.QuotaSetDetail(),
        quota + "/defaults": quota_sets.QuotaSetDefaults(),
    }
    for template, resource in routes.items():
        app.add_route(template, resource)


# {"<fault name>": {"code": ..., "message": ...}}
ERROR_SCHEMA = {"type": "object", "minProperties": 1, "maxProperties": 1,
                "additionalProperties": {"type": "object", "required": ["code", "message"],
                                         "properties": {"code": {"type": "integer"},
                                                        "message": {"type": "string"}}}}

API = APISpec(name="compute", prefix=PREFIX, add_routes=add_routes, error_body=error_body,
              error_schema=ERROR_SCHEMA, openapi_path="/v2.1/openapi.json",
              policies=policies.RULES, response_headers=response_headers,
              middleware=(microversion.MicroversionMiddleware(PREFIX),))

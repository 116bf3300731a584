"""Tempest's compute response schemas, picked by microversion as Tempest picks them:
the checking oracle of the compute views."""
import importlib
from types import ModuleType

from tempest.lib.common import rest_client
from tempest.lib.common.api_version_request import APIVersionRequest

_CLIENTS = {"servers": "servers_client.ServersClient",
            "flavors": "flavors_client.FlavorsClient",
            "keypairs": "keypairs_client.KeyPairsClient",
            "server_groups": "server_groups_client.ServerGroupsClient",
            "limits": "limits_client.LimitsClient",
            "quotas": "quotas_client.QuotasClient",
            "hypervisors": "hypervisor_client.HypervisorClient",
            "services": "services_client.ServicesClient",
            "aggregates": "aggregates_client.AggregatesClient",
            "images": "images_client.ImagesClient"}
_PLAIN = {"availability_zone": "availability_zone", "versions": "versions",
          "flavor_extra_specs": "flavors_extra_specs",
          "flavors_access": "flavors_access"}


def _client(name: str) -> type:
    module, cls = _CLIENTS[name].rsplit(".", 1)
    return getattr(importlib.import_module(f"tempest.lib.services.compute.{module}"), cls)


def _schema(name: str, attribute: str, version: str) -> dict:
    """The schema a Tempest client checks with: its versioned module's, else (for calls
    it never versioned) the 2.1 module's."""
    found = getattr(schema_module(name, version), attribute, None)
    return found if found is not None else getattr(schema_module(name, "2.1"), attribute)


def schema_module(name: str, version: str) -> ModuleType:
    if name in _PLAIN:
        return importlib.import_module(
            f"tempest.lib.api_schema.response.compute.v2_1.{_PLAIN[name]}")
    wanted = APIVersionRequest(version)
    for entry in _client(name).schema_versions_info:
        low = APIVersionRequest(entry["min"] or "2.1")
        high = APIVersionRequest(entry["max"] or "2.1000")
        if low <= wanted <= high:
            return entry["schema"]
    raise LookupError(f"no schema of {name} at {version}")


def boundaries(maximum: str) -> list[str]:
    """Every version up to ``maximum`` where some Tempest compute schema changes."""
    found = {"2.1", maximum}
    for name in _CLIENTS:
        for entry in _client(name).schema_versions_info:
            if entry["min"] and APIVersionRequest(entry["min"]) <= APIVersionRequest(maximum):
                found.add(entry["min"])
    return sorted(found, key=APIVersionRequest)


class _Response(dict):
    def __init__(self, status: int, headers: dict) -> None:
        super().__init__({k.lower(): v for k, v in headers.items()})
        self.status = status


def check(name: str, schema: str, version: str, resp: object) -> None:
    """Raise unless ``resp`` (a falcon test result) matches Tempest's schema."""
    body = resp.json if resp.text else None
    rest_client.RestClient.validate_response(
        _schema(name, schema, version),
        _Response(resp.status_code, dict(resp.headers)), body)

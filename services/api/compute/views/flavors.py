"""Flavor bodies per microversion: 2.55 adds description (none before), 2.61 the
extra specs to the full body."""
from typing import Any

from common.db.api.compute_flavors import FlavorRecord
from services.api.compute.microversion import Version
from services.api.compute.views import common


def summary(flavor: FlavorRecord, version: Version) -> dict[str, Any]:
    body: dict[str, Any] = {"id": flavor.flavorid, "name": flavor.name,
                            "links": common.links("flavors", flavor.flavorid)}
    if version >= (2, 55):
        body["description"] = flavor.description
    return body


def detail(flavor: FlavorRecord, version: Version) -> dict[str, Any]:
    body = _detail(flavor, version)
    if version >= (2, 61):
        body["extra_specs"] = dict(flavor.extra_specs)
    return body


def _detail(flavor: FlavorRecord, version: Version) -> dict[str, Any]:
    return {**summary(flavor, version),
            "ram": flavor.memory_mb, "vcpus": flavor.vcpus, "disk": flavor.root_gb,
            # Nova shows no swap as "" (until 2.75, which this API does not reach).
            "swap": flavor.swap or "",
            "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral_gb,
            "OS-FLV-DISABLED:disabled": flavor.disabled,
            "os-flavor-access:is_public": flavor.is_public,
            "rxtx_factor": flavor.rxtx_factor}

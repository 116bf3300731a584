"""Bodies of regions, catalog services and endpoints, and of a token's catalog."""
from typing import Any

from common.db.api import identity_catalog as catalog_db
from services.api.auth.lookups import CatalogEntry
from services.api.identity.views.entities import link


def region(row: catalog_db.RegionRecord) -> dict[str, Any]:
    return {"id": row.id, "description": row.description,
            "parent_region_id": row.parent_region_id, "links": link("regions", row.id)}


def service(row: catalog_db.CatalogServiceRecord) -> dict[str, Any]:
    return {"id": row.id, "type": row.type, "name": row.name,
            "description": row.description, "enabled": row.enabled,
            "links": link("services", row.id)}


def endpoint(row: catalog_db.EndpointRecord) -> dict[str, Any]:
    return {"id": row.id, "service_id": row.service_id, "interface": row.interface,
            "region": row.region_id, "region_id": row.region_id, "url": row.url,
            "enabled": row.enabled, "links": link("endpoints", row.id)}


def token_catalog(entries: tuple[CatalogEntry, ...]) -> list[dict[str, Any]]:
    return [{"id": entry.id, "type": entry.type, "name": entry.name,
             "endpoints": [{"id": endpoint_id, "interface": interface, "region": region_id,
                            "region_id": region_id, "url": url}
                           for endpoint_id, interface, region_id, url in entry.endpoints]}
            for entry in entries]

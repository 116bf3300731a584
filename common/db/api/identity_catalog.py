"""The service catalog: regions, services and their endpoints."""
import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import paging
from common.db.api.identity import get_row, new_id
from common.db.api.records import from_row

INTERFACES = ("public", "internal", "admin")
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class RegionRecord:
    id: str
    description: str
    parent_region_id: str | None


@dataclasses.dataclass(frozen=True)
class CatalogServiceRecord:
    id: str
    type: str
    name: str
    description: str
    enabled: bool


@dataclasses.dataclass(frozen=True)
class EndpointRecord:
    id: str
    service_id: str
    interface: str
    region_id: str | None
    url: str
    enabled: bool


def _region(row: models.Region) -> RegionRecord:
    return from_row(RegionRecord, row)


def _service(row: models.CatalogService) -> CatalogServiceRecord:
    return from_row(CatalogServiceRecord, row)


def _endpoint(row: models.CatalogEndpoint) -> EndpointRecord:
    return from_row(EndpointRecord, row)


def create_region(ctxt: Context, region_id: str | None = None, description: str = "",
                  parent_region_id: str | None = None) -> RegionRecord:
    with session.transaction() as s:
        region_id = region_id or new_id()
        if s.get(models.Region, region_id) is not None:
            raise exceptions.Conflict(f"Duplicate ID, {region_id}.")
        if parent_region_id:
            get_row(s, models.Region, parent_region_id, "region")
        region = models.Region(id=region_id, description=description or "",
                               parent_region_id=parent_region_id or None)
        s.add(region)
        s.flush()
        return _region(region)


def get_region(ctxt: Context, region_id: str) -> RegionRecord:
    with session.reader() as s:
        return _region(get_row(s, models.Region, region_id, "region"))


def list_regions(ctxt: Context, parent_region_id: str | None = None,
                 limit: int | None = None, marker: str | None = None) -> list[RegionRecord]:
    query = sa.select(models.Region)
    if parent_region_id is not None:
        query = query.where(models.Region.parent_region_id == parent_region_id)
    with session.reader() as s:
        return [_region(row) for row in paging.page(s, query, models.Region, limit, marker)]


def update_region(ctxt: Context, region_id: str, values: dict[str, Any]) -> RegionRecord:
    with session.transaction() as s:
        region = get_row(s, models.Region, region_id, "region")
        if "description" in values:
            region.description = values["description"] or ""
        if "parent_region_id" in values:
            parent = values["parent_region_id"] or None
            if parent is not None:
                _check_parent(s, region_id, parent)
            region.parent_region_id = parent
        s.flush()
        return _region(region)


def _check_parent(s: orm.Session, region_id: str, parent_id: str) -> None:
    """The parent exists and is not the region itself or one of its descendants."""
    seen = {region_id}
    current: str | None = parent_id
    while current is not None:
        if current in seen:
            raise exceptions.BadRequest(f"Region {parent_id} cannot be the parent of "
                                        f"{region_id}: that makes a cycle.")
        seen.add(current)
        current = get_row(s, models.Region, current, "region").parent_region_id


def delete_region(ctxt: Context, region_id: str) -> None:
    with session.transaction() as s:
        s.delete(get_row(s, models.Region, region_id, "region"))


def create_service(ctxt: Context, type: str, name: str = "", description: str = "",
                   enabled: bool = True,
                   service_id: str | None = None) -> CatalogServiceRecord:
    with session.transaction() as s:
        service = models.CatalogService(id=service_id or new_id(), type=type, name=name or "",
                                        description=description or "", enabled=enabled)
        s.add(service)
        s.flush()
        return _service(service)


def get_service(ctxt: Context, service_id: str) -> CatalogServiceRecord:
    with session.reader() as s:
        return _service(get_row(s, models.CatalogService, service_id, "service"))


def list_services(ctxt: Context, type: str | None = None, name: str | None = None,
                  limit: int | None = None, marker: str | None = None
                  ) -> list[CatalogServiceRecord]:
    query = sa.select(models.CatalogService)
    if type is not None:
        query = query.where(models.CatalogService.type == type)
    if name is not None:
        query = query.where(models.CatalogService.name == name)
    with session.reader() as s:
        return [_service(row)
                for row in paging.page(s, query, models.CatalogService, limit, marker)]


def update_service(ctxt: Context, service_id: str,
                   values: dict[str, Any]) -> CatalogServiceRecord:
    with session.transaction() as s:
        service = get_row(s, models.CatalogService, service_id, "service")
        for key in ("type", "name", "enabled"):
            if key in values:
                setattr(service, key, values[key])
        if "description" in values:
            service.description = values["description"] or ""
        s.flush()
        return _service(service)


def delete_service(ctxt: Context, service_id: str) -> None:
    with session.transaction() as s:
        s.delete(get_row(s, models.CatalogService, service_id, "service"))


def create_endpoint(ctxt: Context, service_id: str, interface: str, url: str,
                    region_id: str | None = None, enabled: bool = True,
                    endpoint_id: str | None = None) -> EndpointRecord:
    if interface not in INTERFACES:
        raise exceptions.BadRequest(f"Invalid interface {interface!r}: one of "
                                    f"{', '.join(INTERFACES)}.")
    with session.transaction() as s:
        get_row(s, models.CatalogService, service_id, "service")
        if region_id and s.get(models.Region, region_id) is None:
            s.add(models.Region(id=region_id, description=""))  # as Keystone does
        endpoint = models.CatalogEndpoint(id=endpoint_id or new_id(), service_id=service_id,
                                          interface=interface, url=url, region_id=region_id,
                                          enabled=enabled)
        s.add(endpoint)
        s.flush()
        return _endpoint(endpoint)


def get_endpoint(ctxt: Context, endpoint_id: str) -> EndpointRecord:
    with session.reader() as s:
        return _endpoint(get_row(s, models.CatalogEndpoint, endpoint_id, "endpoint"))


def list_endpoints(ctxt: Context, service_id: str | None = None,
                   interface: str | None = None, region_id: str | None = None,
                   limit: int | None = None,
                   marker: str | None = None) -> list[EndpointRecord]:
    query = sa.select(models.CatalogEndpoint)
    for column, value in (("service_id", service_id), ("interface", interface),
                          ("region_id", region_id)):
        if value is not None:
            query = query.where(getattr(models.CatalogEndpoint, column) == value)
    with session.reader() as s:
        return [_endpoint(row)
                for row in paging.page(s, query, models.CatalogEndpoint, limit, marker)]


def update_endpoint(ctxt: Context, endpoint_id: str,
                    values: dict[str, Any]) -> EndpointRecord:
    with session.transaction() as s:
        endpoint = get_row(s, models.CatalogEndpoint, endpoint_id, "endpoint")
        if values.get("interface", endpoint.interface) not in INTERFACES:
            raise exceptions.BadRequest(f"Invalid interface {values['interface']!r}.")
        if "service_id" in values:
            get_row(s, models.CatalogService, values["service_id"], "service")
        if values.get("region_id") and s.get(models.Region, values["region_id"]) is None:
            s.add(models.Region(id=values["region_id"], description=""))  # as on create
        for key in ("service_id", "interface", "url", "region_id", "enabled"):
            if key in values:
                setattr(endpoint, key, values[key])
        s.flush()
        return _endpoint(endpoint)


def delete_endpoint(ctxt: Context, endpoint_id: str) -> None:
    with session.transaction() as s:
        s.delete(get_row(s, models.CatalogEndpoint, endpoint_id, "endpoint"))


def catalog(ctxt: Context) -> list[tuple[CatalogServiceRecord, list[EndpointRecord]]]:
    """Every enabled service with its enabled endpoints, in two queries."""
    with session.reader() as s:
        services = [_service(row) for row in s.scalars(sa.select(models.CatalogService).where(
            models.CatalogService.enabled.is_(True)).order_by(models.CatalogService.type))]
        endpoints: dict[str, list[EndpointRecord]] = {}
        for endpoint in s.scalars(sa.select(models.CatalogEndpoint).where(
                models.CatalogEndpoint.enabled.is_(True)).order_by(
                models.CatalogEndpoint.interface)):
            endpoints.setdefault(endpoint.service_id, []).append(_endpoint(endpoint))
    return [(service, endpoints.get(service.id, [])) for service in services]

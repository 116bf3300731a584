"""Flavors, their extra specs and project access (os-flavor-access)."""
import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

Flavor = models.Flavor
Context = context.RequestContext
_SORT_KEYS = {"flavorid", "name", "memory_mb", "vcpus", "root_gb", "ephemeral_gb", "swap",
              "rxtx_factor", "id", "created_at", "description"}


@dataclasses.dataclass(frozen=True)
class FlavorRecord:
    id: int
    flavorid: str
    name: str
    vcpus: int
    memory_mb: int
    root_gb: int
    ephemeral_gb: int
    swap: int
    rxtx_factor: float
    is_public: bool
    disabled: bool
    description: str | None
    extra_specs: dict[str, str]
    projects: list[str]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _record(flavor: Flavor) -> FlavorRecord:
    return from_row(FlavorRecord, flavor,
                    extra_specs={spec.key: spec.value for spec in flavor.extra_specs},
                    projects=sorted(project.project_id for project in flavor.projects))


def _row(s: orm.Session, flavorid: str) -> Flavor:
    flavor = s.scalars(sa.select(Flavor).filter_by(flavorid=flavorid)).one_or_none()
    if flavor is None:
        raise exceptions.FlavorNotFound(flavor_id=flavorid)
    return flavor


def create(ctxt: Context, values: Mapping[str, Any],
           extra_specs: Mapping[str, str] | None = None,
           projects: list[str] | None = None) -> FlavorRecord:
    """A new flavor; FlavorExists (409) when its flavorid or name is taken."""
    with session.transaction() as s:
        for field in ("flavorid", "name"):
            if s.scalar(sa.select(Flavor.id).where(getattr(Flavor, field) == values[field])):
                raise exceptions.FlavorExists(field="ID" if field == "flavorid" else "name",
                                              value=values[field])
    try:
        with session.transaction() as s:
            flavor = Flavor(**values)
            flavor.extra_specs = [models.FlavorExtraSpec(key=k, value=v)
                                  for k, v in (extra_specs or {}).items()]
            flavor.projects = [models.FlavorProject(project_id=p) for p in projects or []]
            s.add(flavor)
            s.flush()
            return _record(flavor)
    except sa_exc.IntegrityError as error:
        raise exceptions.FlavorExists(field="ID or name", value=values["flavorid"]) from error


def get(ctxt: Context, flavorid: str) -> FlavorRecord:
    with session.reader() as s:
        return _record(_row(s, flavorid))


def get_by_name(ctxt: Context, name: str) -> FlavorRecord:
    with session.reader() as s:
        flavor = s.scalars(sa.select(Flavor).filter_by(name=name)).one_or_none()
        if flavor is None:
            raise exceptions.FlavorNotFound(flavor_id=name)
        return _record(flavor)


def list_flavors(ctxt: Context, is_public: bool | None = True,
                 min_memory_mb: int | None = None, min_root_gb: int | None = None,
                 limit: int | None = None, marker: str | None = None,
                 sort_key: str = "flavorid", sort_dir: str = "asc") -> list[FlavorRecord]:
    """Flavors as Nova lists them.

    ``is_public`` True lists public flavors plus the private ones the context's project
    has access to; False lists private ones only; None
    lists all (admin). ``marker`` is a flavorid.
    """
    if sort_key not in _SORT_KEYS or sort_dir not in ("asc", "desc"):
        raise exceptions.BadRequest(f"Invalid sort key or direction: {sort_key} {sort_dir}")
    query = sa.select(Flavor)
    if is_public is True:
        visible: sa.ColumnElement[bool] = Flavor.is_public.is_(True)
        if ctxt.project_id is not None:
            shared = sa.select(models.FlavorProject.flavor_id).where(
                models.FlavorProject.project_id == ctxt.project_id)
            visible = sa.or_(visible, Flavor.id.in_(shared))
        query = query.where(visible)
    elif is_public is False:
        query = query.where(Flavor.is_public.is_(False))
    if min_memory_mb is not None:
        query = query.where(Flavor.memory_mb >= min_memory_mb)
    if min_root_gb is not None:
        query = query.where(Flavor.root_gb >= min_root_gb)
    column = getattr(Flavor, sort_key)
    ascending = sort_dir == "asc"
    with session.reader() as s:
        if marker is not None:
            row = s.scalars(sa.select(Flavor).filter_by(flavorid=marker)).one_or_none()
            if row is None:
                raise exceptions.BadRequest(f"marker [{marker}] not found")
            value = getattr(row, sort_key)
            after = column > value if ascending else column < value
            query = query.where(sa.or_(after, sa.and_(column == value, Flavor.id > row.id)))
        query = query.order_by(column.asc() if ascending else column.desc(), Flavor.id)
        if limit is not None:
            query = query.limit(limit)
        return [_record(flavor) for flavor in s.scalars(query)]


def update_description(ctxt: Context, flavorid: str,
                       description: str | None) -> FlavorRecord:
    with session.transaction() as s:
        flavor = _row(s, flavorid)
        flavor.description = description
        flavor.updated_at = utcnow()
        s.flush()
        return _record(flavor)


def delete(ctxt: Context, flavorid: str) -> None:
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(sa.delete(Flavor).filter_by(flavorid=flavorid)))
    if not deleted:
        raise exceptions.FlavorNotFound(flavor_id=flavorid)


def set_extra_specs(ctxt: Context, flavorid: str,
                    specs: Mapping[str, str]) -> dict[str, str]:
    """Add or change extra specs; return them all."""
    with session.transaction() as s:
        flavor = _row(s, flavorid)
        current = {spec.key: spec for spec in flavor.extra_specs}
        for key, value in specs.items():
            if key in current:
                current[key].value = value
            else:
                flavor.extra_specs.append(models.FlavorExtraSpec(key=key, value=value))
        s.flush()
        return _record(flavor).extra_specs


def delete_extra_spec(ctxt: Context, flavorid: str, key: str) -> None:
    with session.transaction() as s:
        flavor = _row(s, flavorid)
        deleted = session.rowcount(s.execute(sa.delete(models.FlavorExtraSpec).filter_by(
            flavor_id=flavor.id, key=key)))
    if not deleted:
        raise exceptions.FlavorExtraSpecNotFound(flavor_id=flavorid, key=key)


def add_access(ctxt: Context, flavorid: str, project_id: str) -> list[str]:
    """Give a project a private flavor; return the projects that have it."""
    try:
        with session.transaction() as s:
            flavor = _row(s, flavorid)
            flavor.projects.append(models.FlavorProject(project_id=project_id))
            s.flush()
            return _record(flavor).projects
    except sa_exc.IntegrityError as error:
        raise exceptions.FlavorAccessExists(flavor_id=flavorid,
                                            project_id=project_id) from error


def remove_access(ctxt: Context, flavorid: str, project_id: str) -> list[str]:
    with session.transaction() as s:
        flavor = _row(s, flavorid)
        granted = [item for item in flavor.projects if item.project_id == project_id]
        if not granted:
            raise exceptions.FlavorAccessNotFound(flavor_id=flavorid,
                                                  project_id=project_id)
        flavor.projects.remove(granted[0])
        s.flush()
        return _record(flavor).projects


def snapshot(flavor: FlavorRecord) -> dict[str, Any]:
    """What an instance keeps of its flavor (Nova's embedded flavor, 2.47+)."""
    return {"id": flavor.flavorid, "name": flavor.name, "vcpus": flavor.vcpus,
            "memory_mb": flavor.memory_mb, "root_gb": flavor.root_gb,
            "ephemeral_gb": flavor.ephemeral_gb, "swap": flavor.swap,
            "rxtx_factor": flavor.rxtx_factor, "is_public": flavor.is_public,
            "description": flavor.description, "extra_specs": dict(flavor.extra_specs)}

"""Top-level domains: once any TLD exists, every new zone must sit under one."""
import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import dns_filters, dns_paging
from common.db.api.records import from_row
from common.dns import validation as dns_validation

_MUTABLE = ("name", "description")
SORT_KEYS = ("id", "created_at", "name")
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class TldRecord:
    id: str
    name: str
    description: str | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def create_tld(ctxt: Context, name: str, description: str | None = None) -> TldRecord:
    tld = models.DNSTld(name=dns_validation.tld_name(name), description=description)
    try:
        with session.transaction() as s:
            s.add(tld)
            s.flush()
            return from_row(TldRecord, tld)
    except sa_exc.IntegrityError as error:
        raise exceptions.DuplicateTld(name=tld.name) from error


def get_tld(ctxt: Context, tld_id: str) -> TldRecord:
    with session.reader() as s:
        return from_row(TldRecord, _get(s, tld_id))


def _get(s: orm.Session, tld_id: str) -> models.DNSTld:
    tld = s.get(models.DNSTld, tld_id)
    if tld is None:
        raise exceptions.TldNotFound(tld_id=tld_id)
    return tld


def _filtered(query: sa.Select, filters: dict[str, Any] | None) -> sa.Select:
    return dns_filters.apply(query, models.DNSTld, filters, _MUTABLE)


def list_tlds(ctxt: Context, filters: dict[str, Any] | None = None,
              limit: int | None = None, marker: str | None = None, sort_key: str = "id",
              sort_dir: str = "asc") -> list[TldRecord]:
    if sort_key not in SORT_KEYS:
        raise exceptions.InvalidSortKey()
    with session.reader() as s:
        rows = dns_paging.page(s, _filtered(sa.select(models.DNSTld), filters),
                               models.DNSTld, limit, marker, sort_key, sort_dir)
        return [from_row(TldRecord, row) for row in rows]


def count_tlds(ctxt: Context, filters: dict[str, Any] | None = None) -> int:
    query = _filtered(sa.select(sa.func.count()).select_from(models.DNSTld), filters)
    with session.reader() as s:
        return s.scalar(query)


def update_tld(ctxt: Context, tld_id: str, values: dict[str, Any]) -> TldRecord:
    unknown = set(values) - set(_MUTABLE)
    if unknown:
        raise exceptions.InvalidObject(f"TLD attributes {sorted(unknown)} cannot be changed.")
    try:
        with session.transaction() as s:
            tld = _get(s, tld_id)
            if "name" in values:
                tld.name = dns_validation.tld_name(values["name"])
            if "description" in values:
                tld.description = values["description"]
            s.flush()
            return from_row(TldRecord, tld)
    except sa_exc.IntegrityError as error:
        raise exceptions.DuplicateTld(name=values.get("name")) from error


def delete_tld(ctxt: Context, tld_id: str) -> None:
    with session.transaction() as s:
        if not session.rowcount(s.execute(sa.delete(models.DNSTld).filter_by(id=tld_id))):
            raise exceptions.TldNotFound(tld_id=tld_id)


def check_zone_name(s: orm.Session, zone_name: str) -> None:
    """With TLDs defined, ``zone_name`` must end in one and must not be one."""
    tlds = set(s.scalars(sa.select(models.DNSTld.name)))
    if not tlds:
        return
    bare = zone_name.rstrip(".")
    if bare in tlds:
        raise exceptions.InvalidTLD(name=zone_name, reason="a zone cannot be a TLD")
    labels = bare.split(".")
    if not any(".".join(labels[i:]) in tlds for i in range(1, len(labels))):
        raise exceptions.InvalidTLD(name=zone_name, reason="it is not under any known TLD")

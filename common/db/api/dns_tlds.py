"""Top-level domains: once any TLD exists, every new zone must sit under one."""
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import exceptions
from common.db import models, session
from common.db.api import dns_filters, dns_paging
from common.dns import validation as dns_validation

_MUTABLE = ("name", "description")
SORT_KEYS = ("id", "created_at", "name")


def create_tld(name: str, description: str | None = None) -> models.DNSTld:
    tld = models.DNSTld(name=dns_validation.tld_name(name), description=description)
    try:
        with session.transaction() as s:
            s.add(tld)
    except sa_exc.IntegrityError as error:
        raise exceptions.DuplicateTld(name=tld.name) from error
    return tld


def get_tld(tld_id: str) -> models.DNSTld:
    with session.reader() as s:
        return _get(s, tld_id)


def _get(s: orm.Session, tld_id: str) -> models.DNSTld:
    tld = s.get(models.DNSTld, tld_id)
    if tld is None:
        raise exceptions.TldNotFound(tld_id=tld_id)
    return tld


def _filtered(query: sa.Select, filters: dict[str, Any] | None) -> sa.Select:
    return dns_filters.apply(query, models.DNSTld, filters, _MUTABLE)


def list_tlds(filters: dict[str, Any] | None = None, limit: int | None = None,
              marker: str | None = None, sort_key: str = "id",
              sort_dir: str = "asc") -> list[models.DNSTld]:
    if sort_key not in SORT_KEYS:
        raise exceptions.InvalidSortKey()
    with session.reader() as s:
        return dns_paging.page(s, _filtered(sa.select(models.DNSTld), filters),
                               models.DNSTld, limit, marker, sort_key, sort_dir)


def count_tlds(filters: dict[str, Any] | None = None) -> int:
    query = _filtered(sa.select(sa.func.count()).select_from(models.DNSTld), filters)
    with session.reader() as s:
        return s.scalar(query)


def update_tld(tld_id: str, values: dict[str, Any]) -> models.DNSTld:
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
    except sa_exc.IntegrityError as error:
        raise exceptions.DuplicateTld(name=values.get("name")) from error
    return tld


def delete_tld(tld_id: str) -> None:
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

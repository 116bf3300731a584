"""Internal names an admin declares (``universe.local.`` -> addresses), answered by OVN.

A name with a ``network_id`` is answered inside that network only; without one, inside
every tenant network. After a change, cast ``sync_network`` to the dns agent.
"""
import dataclasses
import datetime
import ipaddress
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import paging
from common.db.api.records import from_row
from common.dns import validation as dns_validation

Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class InternalNameRecord:
    id: str
    name: str
    network_id: str | None
    addresses: list[str]
    description: str | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _record(row: models.DNSInternalName) -> InternalNameRecord:
    return from_row(InternalNameRecord, row, addresses=list(row.addresses or []))


def _addresses(addresses: object) -> list[str]:
    if not isinstance(addresses, list) or not addresses:
        raise exceptions.InvalidObject("An internal name needs a list of addresses.")
    try:
        return [str(ipaddress.ip_address(address)) for address in addresses]
    except ValueError as error:
        raise exceptions.InvalidObject(f"Invalid address: {error}.") from error


def _get(s: orm.Session, internal_name_id: str) -> models.DNSInternalName:
    row = s.get(models.DNSInternalName, internal_name_id)
    if row is None:
        raise exceptions.InternalNameNotFound(internal_name_id=internal_name_id)
    return row


def _check_unique(s: orm.Session, name: str, network_id: str | None) -> None:
    # Unique in code: a unique constraint never fires on a null network_id.
    query = sa.select(models.DNSInternalName.id).filter_by(name=name, network_id=network_id)
    if s.scalar(query) is not None:
        raise exceptions.DuplicateInternalName(name=name)


def create_internal_name(ctxt: Context, name: str, addresses: list[str],
                         network_id: str | None = None,
                         description: str | None = None) -> InternalNameRecord:
    row = models.DNSInternalName(name=dns_validation.host_name(name),
                                 addresses=_addresses(addresses), network_id=network_id,
                                 description=description)
    with session.transaction() as s:
        _check_unique(s, row.name, network_id)
        s.add(row)
        s.flush()
        return _record(row)


def get_internal_name(ctxt: Context, internal_name_id: str) -> InternalNameRecord:
    with session.reader() as s:
        return _record(_get(s, internal_name_id))


def _applying_to(query: sa.Select, network_id: str | None) -> sa.Select:
    if network_id is None:
        return query
    return query.where(sa.or_(models.DNSInternalName.network_id == network_id,
                              models.DNSInternalName.network_id.is_(None)))


def list_internal_names(ctxt: Context, network_id: str | None = None,
                        limit: int | None = None,
                        marker: str | None = None) -> list[InternalNameRecord]:
    """Every internal name, or those that apply to ``network_id`` (its own + global)."""
    query = _applying_to(sa.select(models.DNSInternalName), network_id)
    with session.reader() as s:
        return [_record(row) for row in
                paging.page(s, query, models.DNSInternalName, limit, marker)]


def count_internal_names(ctxt: Context, network_id: str | None = None) -> int:
    """How many list_internal_names holds in all."""
    query = sa.select(sa.func.count()).select_from(models.DNSInternalName)
    with session.reader() as s:
        return s.scalar(_applying_to(query, network_id))


def update_internal_name(ctxt: Context, internal_name_id: str,
                         values: dict[str, Any]) -> InternalNameRecord:
    unknown = set(values) - {"addresses", "description"}
    if unknown:
        raise exceptions.InvalidObject(
            f"Internal name attributes {sorted(unknown)} cannot be changed.")
    with session.transaction() as s:
        row = _get(s, internal_name_id)
        if "addresses" in values:
            row.addresses = _addresses(values["addresses"])
        if "description" in values:
            row.description = values["description"]
        s.flush()
        return _record(row)


def delete_internal_name(ctxt: Context, internal_name_id: str) -> InternalNameRecord:
    """Delete it; returns what was deleted so the caller knows which network to resync."""
    with session.transaction() as s:
        row = _get(s, internal_name_id)
        deleted = _record(row)
        s.delete(row)
        return deleted

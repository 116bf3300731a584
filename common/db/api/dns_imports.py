"""Zone imports: a master file becomes a new PRIMARY zone with its recordsets.

An import is a task row. It ends COMPLETE with the new zone's id, or ERROR with a message
and no zone: the zone and all its recordsets are written in one transaction, checked as
the API checks them (TLDs, quotas, neighbours, record data). The SOA gives the zone its
email (RNAME), TTL, timers and at least its serial; the SOA and the apex NS recordsets
themselves are Strato's, as for any zone it creates. $INCLUDE and $GENERATE are refused:
an import reads nothing but its text, and makes no more records than the text holds.
"""
import dataclasses
import datetime
from typing import cast

import dns.exception
import dns.name
import dns.rdataset
import dns.rdatatype
import dns.zone
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import dns as dns_api
from common.db.api import dns_filters, dns_paging
from common.db.api.records import from_row
from common.db.models.dns import COMPLETE, ERROR
from common.dns import validation as valid

FILTERS = ("status", "message", "zone_id")
SORT_KEYS = ("id", "created_at", "status")
_DIRECTIVES = ("$ORIGIN", "$TTL")
_SOA_TIMERS = ("refresh", "retry", "expire", "minimum")
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class ImportRecord:
    id: str
    project_id: str
    status: str
    message: str | None
    zone_id: str | None
    version: int
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _parse(text: str) -> dns.zone.Zone:
    """The zone of master file ``text``; DNSException or InvalidObject says what is wrong."""
    try:
        zone = dns.zone.from_text(text, relativize=False, check_origin=False,
                                  allow_include=False, allow_directives=_DIRECTIVES)
    except dns.zone.UnknownOrigin:
        raise exceptions.InvalidObject("The zone file needs an $ORIGIN statement with the "
                                       "zone's fully qualified name.") from None
    if zone.origin is None or zone.get_rdataset(zone.origin, dns.rdatatype.SOA) is None:
        raise exceptions.InvalidObject("The zone file has no SOA record at its origin.")
    return zone


def _email(rname: dns.name.Name) -> str:
    """hostmaster.example.org. -> hostmaster@example.org (the first label is the mailbox)."""
    if len(rname.labels) < 3:
        raise exceptions.InvalidObject(f"SOA RNAME {rname} is not a mailbox.")
    mailbox = rname.labels[0].decode(errors="replace")
    domain = dns.name.Name(rname.labels[1:]).to_text(omit_final_dot=True)
    return valid.email(f"{mailbox}@{domain}")


def _new_zone(project_id: str, parsed: dns.zone.Zone,
              attributes: dict[str, str]) -> models.DNSZone:
    origin = cast(dns.name.Name, parsed.origin)  # _parse checked it
    soa_rdataset = cast(dns.rdataset.Rdataset, parsed.get_rdataset(origin, dns.rdatatype.SOA))
    soa = soa_rdataset[0]
    zone = dns_api.new_zone(project_id, origin.to_text(), email=_email(soa.rname),
                        ttl=soa_rdataset.ttl, attributes=attributes)
    for timer in _SOA_TIMERS:
        setattr(zone, timer, getattr(soa, timer))
    # Never below what secondaries of the original zone may have seen.
    zone.serial = max(zone.serial, soa.serial)
    return zone


def _recordsets(parsed: dns.zone.Zone) -> list[tuple[str, str, int, list[str]]]:
    """(name, type, ttl, records) of the zone file, but the apex SOA and NS, sorted."""
    found = []
    for name, node in parsed.nodes.items():
        for rdataset in node:
            if name == parsed.origin and rdataset.rdtype in (dns.rdatatype.SOA,
                                                              dns.rdatatype.NS):
                continue
            found.append((name.to_text(), dns.rdatatype.to_text(rdataset.rdtype),
                          rdataset.ttl, [rdata.to_text() for rdata in rdataset]))
    return sorted(found)


def _task(project_id: str, status: str, message: str,
          zone_id: str | None = None) -> models.DNSZoneImport:
    return models.DNSZoneImport(project_id=project_id, status=status, message=message,
                                zone_id=zone_id, version=1)


def check_attributes(attributes: dict[str, str] | None) -> dict[str, str]:
    """Attributes of the new zone; a ``pool_id`` must name Strato's one pool (404)."""
    attributes = dict(attributes or {})
    if attributes.get("pool_id", CONF.dns.pool_id) != CONF.dns.pool_id:
        raise exceptions.NotFound("Could not find Pool")
    return attributes


def _import(project_id: str, text: str, attributes: dict[str, str]) -> ImportRecord:
    """The zone of ``text`` and its recordsets, written with a COMPLETE task."""
    parsed = _parse(text)
    zone = _new_zone(project_id, parsed, attributes)
    with session.transaction() as s:
        dns_api.add_zone(s, zone)
        for name, rtype, ttl, records in _recordsets(parsed):
            dns_api.add_recordset(s, zone, name, rtype, records, ttl)
        return _added(s, _task(project_id, COMPLETE, f"{zone.name} imported", zone.id))


def _added(s: orm.Session, task: models.DNSZoneImport) -> ImportRecord:
    s.add(task)
    s.flush()
    return from_row(ImportRecord, task)


def import_zone(ctxt: Context, project_id: str, text: str,
                attributes: dict[str, str] | None = None) -> ImportRecord:
    """Import master file ``text`` as a new zone of ``project_id``: the task, COMPLETE
    (``zone_id`` set; the caller syncs the zone) or ERROR with why, leaving no zone."""
    attributes = check_attributes(attributes)
    try:
        return _import(project_id, text, attributes)
    except dns.exception.DNSException as error:
        message = f"Malformed zone file: {error}"
    except sa_exc.IntegrityError:
        message = "Duplicate zone."
    except exceptions.StratoError as error:
        if error.code >= 500:
            raise
        message = error.msg
    with session.transaction() as s:
        return _added(s, _task(project_id, ERROR, message))


def _get(s: orm.Session, import_id: str, project_id: str | None) -> models.DNSZoneImport:
    task = s.get(models.DNSZoneImport, import_id)
    if task is None or (project_id is not None and task.project_id != project_id):
        raise exceptions.ZoneImportNotFound(import_id=import_id)
    return task


def get_import(ctxt: Context, import_id: str,
               project_id: str | None = None) -> ImportRecord:
    with session.reader() as s:
        return from_row(ImportRecord, _get(s, import_id, project_id))


def _query(query: sa.Select, project_id: str | None,
           filters: dict[str, object] | None) -> sa.Select:
    if project_id is not None:
        query = query.where(models.DNSZoneImport.project_id == project_id)
    return dns_filters.apply(query, models.DNSZoneImport, filters, FILTERS)


def list_imports(ctxt: Context, project_id: str | None = None,
                 filters: dict[str, object] | None = None, limit: int | None = None,
                 marker: str | None = None, sort_key: str = "id",
                 sort_dir: str = "asc") -> list[ImportRecord]:
    """Import tasks of ``project_id`` (all when None), sorted by one of SORT_KEYS."""
    if sort_key not in SORT_KEYS:
        raise exceptions.InvalidSortKey()
    query = _query(sa.select(models.DNSZoneImport), project_id, filters)
    with session.reader() as s:
        return [from_row(ImportRecord, task) for task in dns_paging.page(
            s, query, models.DNSZoneImport, limit, marker, sort_key, sort_dir)]


def count_imports(ctxt: Context, project_id: str | None = None,
                  filters: dict[str, object] | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(models.DNSZoneImport)
    with session.reader() as s:
        return s.scalar(_query(query, project_id, filters))


def delete_import(ctxt: Context, import_id: str, project_id: str | None = None) -> None:
    """Forget an import task; the zone it made stays."""
    with session.transaction() as s:
        s.delete(_get(s, import_id, project_id))

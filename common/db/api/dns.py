"""Zones and recordsets: the domain functions behind the DNS API, one transaction each.

Every change of a zone or of one of its recordsets raises the zone's serial and puts it
back to PENDING; the caller then casts ``sync_zone`` to the dns agent
(services.dns.rpcapi), which applies the zone to every backend and reports back through
the conductor (common.db.api.dns_sync), flipping zone and recordsets to ACTIVE.

``project_id=None`` means "any project" (an admin with all_projects); otherwise a zone of
another project is reported as not found, unless it is shared with ``project_id``
(common.db.api.dns_shares says what such a target may do).
"""
import dataclasses
import datetime
import ipaddress
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import dns_filters, dns_paging, dns_quotas, dns_shares, dns_tlds
from common.db.api.records import from_row
from common.db.models.dns import (
    CREATE,
    DELETE,
    FORWARD,
    PENDING,
    PRIMARY,
    SECONDARY,
    UPDATE,
)
from common.dns import validation as valid

ZONE_TYPES = (PRIMARY, SECONDARY, FORWARD)
ZONE_FILTERS = ("name", "email", "ttl", "type", "status", "description")
RECORDSET_FILTERS = ("name", "type", "ttl", "status", "description", "zone_id")
# Columns lists may sort by (never null, see dns_paging).
ZONE_SORT_KEYS = ("id", "created_at", "name", "email", "serial", "ttl", "status", "type",
                  "project_id")
RECORDSET_SORT_KEYS = ("id", "created_at", "name", "type", "status", "zone_id",
                       "project_id")
_ZONE_MUTABLE = ("email", "ttl", "description", "masters", "attributes")
_RECORDSET_MUTABLE = ("records", "ttl", "description")
# May be given on update when unchanged (Designate's PUT carries the whole recordset).
_RECORDSET_IMMUTABLE = ("name", "type")
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class ZoneRecord:
    id: str
    project_id: str
    name: str
    email: str
    ttl: int
    serial: int
    refresh: int
    retry: int
    expire: int
    minimum: int
    status: str
    action: str
    type: str
    masters: list[str]
    attributes: dict[str, str]
    description: str | None
    pool_id: str
    version: int
    transferred_at: datetime.datetime | None
    shared: bool
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class RecordSetRecord:
    id: str
    zone_id: str
    zone_name: str
    project_id: str
    name: str
    type: str
    records: list[str]  # the data, in order
    ttl: int | None
    description: str | None
    status: str
    action: str
    version: int
    managed: bool
    managed_resource_type: str | None
    managed_resource_id: str | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _zone_record(zone: models.DNSZone) -> ZoneRecord:
    return from_row(ZoneRecord, zone, masters=list(zone.masters or []),
                    attributes=dict(zone.attributes or {}), shared=bool(zone.shared))


def _recordset_record(recordset: models.DNSRecordSet) -> RecordSetRecord:
    return from_row(RecordSetRecord, recordset, zone_name=recordset.zone.name,
                    records=[record.data for record in recordset.records])


def next_serial(current: int) -> int:
    """A serial above ``current``: the Unix time, or current + 1 within the same second."""
    return max(current + 1, int(time.time()))


# --- helpers shared by zones and recordsets --------------------------------------------

def server_address(text: object) -> str:
    """``address[:port]`` of a master or resolver, normalized to ``address:port``."""
    if not isinstance(text, str):
        raise exceptions.InvalidObject(f"Invalid server address {text!r}.")
    host, port = text, "53"
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else port
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise exceptions.InvalidObject(f"Invalid port in server address {text!r}.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # A master may also be a fully qualified name (a zone's nameserver hostname).
        if not host.endswith("."):
            raise exceptions.InvalidObject(f"Invalid server address {text!r}.") from None
        return f"{valid.host_name(host)}:{int(port)}"
    shown = f"[{address}]" if address.version == 6 else str(address)
    return f"{shown}:{int(port)}"


def ancestors(name: str) -> list[str]:
    """The strict ancestors of a FQDN: a.b.c. -> [b.c., c.]."""
    labels = name[:-1].split(".")
    return [".".join(labels[i:]) + "." for i in range(1, len(labels))]


def _zone(s: orm.Session, zone_id: str, project_id: str | None,
          for_update: bool = False, target_may: bool = False) -> models.DNSZone:
    """The zone as ``project_id`` may use it: as its owner, or also as a target of a
    share when ``target_may``."""
    query = sa.select(models.DNSZone).filter_by(id=zone_id)
    if for_update:
        query = query.with_for_update()
    zone = s.scalars(query).one_or_none()
    if zone is None:
        raise exceptions.ZoneNotFound(zone_id=zone_id)
    dns_shares.check_access(s, zone, project_id, target_may)
    return zone


def soa_record(zone: models.DNSZone) -> str:
    """The SOA record text of ``zone``: [dns] nameservers[0] is the MNAME."""
    return (f"{valid.zone_name(CONF.dns.nameservers[0])} {valid.email_to_rname(zone.email)} "
            f"{zone.serial} {zone.refresh} {zone.retry} {zone.expire} {zone.minimum}")


def _records(records: list[str]) -> list[models.DNSRecord]:
    return [models.DNSRecord(position=i, data=data) for i, data in enumerate(records)]


def new_recordset(zone: models.DNSZone, name: str, rtype: str, records: list[str],
                  project_id: str | None = None, **values: Any) -> models.DNSRecordSet:
    """A recordset of ``zone`` (not yet added to a session) holding ``records``, owned by
    ``project_id`` (default: the zone's owner)."""
    # The zone itself, not only its id: callers render the zone name after the session.
    return models.DNSRecordSet(zone=zone, project_id=project_id or zone.project_id,
                               name=name, type=rtype, records=_records(records), **values)


def set_records(recordset: models.DNSRecordSet, records: list[str]) -> None:
    recordset.records = _records(records)


def touch(s: orm.Session, zone: models.DNSZone) -> None:
    """Record that ``zone`` changed: new serial, PENDING until the backends have it.

    The database computes serial and version from the row as it is when written, and
    status and action are always written: on SQLite a writer may have read the zone
    before a concurrent change committed, and must neither reuse a serial nor leave the
    zone marked ACTIVE by an agent report it raced with.
    """
    now, bumped = int(time.time()), models.DNSZone.serial + 1
    zone.serial = sa.case((bumped > now, bumped), else_=now)
    zone.version = models.DNSZone.version + 1
    if zone.action != DELETE and not (zone.action == CREATE and zone.status == PENDING):
        zone.action = UPDATE
    zone.status = PENDING
    orm.attributes.flag_modified(zone, "status")
    orm.attributes.flag_modified(zone, "action")
    s.flush()
    s.refresh(zone, ["serial", "version"])
    soa = s.scalars(sa.select(models.DNSRecordSet).filter_by(
        zone_id=zone.id, type="SOA")).one_or_none()
    if soa is not None:
        set_records(soa, [soa_record(zone)])


def mark_pending(recordset: models.DNSRecordSet, action: str) -> None:
    """The recordset changed (``action``); a pending CREATE stays a CREATE on update."""
    if not (recordset.action == CREATE and recordset.status == PENDING and action == UPDATE):
        recordset.action = action
    recordset.status = PENDING
    recordset.version += 1


# --- zones ------------------------------------------------------------------------------

def _check_masters(zone_type: str, masters: object) -> list[str]:
    if zone_type == PRIMARY:
        if masters:
            raise exceptions.InvalidObject("A PRIMARY zone has no masters.")
        return []
    if not isinstance(masters, list) or not masters:
        raise exceptions.InvalidObject(f"A {zone_type} zone needs a list of masters.")
    return [server_address(master) for master in masters]


def _check_neighbours(s: orm.Session, project_id: str, name: str) -> None:
    """No duplicate name; no zone above or below one of another project (403)."""
    if s.scalar(sa.select(models.DNSZone.id).filter_by(name=name)) is not None:
        raise exceptions.DuplicateZone(name=name)
    others = sa.select(models.DNSZone.name).where(models.DNSZone.project_id != project_id)
    parent = s.scalar(others.where(models.DNSZone.name.in_(ancestors(name))).limit(1))
    child = s.scalar(others.where(
        models.DNSZone.name.endswith("." + name, autoescape=True)).limit(1))
    if parent or child:
        raise exceptions.DNSForbidden(
            f"Zone {name} would overlap zone {parent or child} of another project.")


def new_zone(project_id: str, name: str, email: str | None = None,
             ttl: int | None = None, type: str = PRIMARY,
             masters: list[str] | None = None, description: str | None = None,
             attributes: dict[str, str] | None = None) -> models.DNSZone:
    """A valid zone (PENDING/CREATE), not yet added to a session (see add_zone)."""
    name = valid.zone_name(name)
    if type not in ZONE_TYPES:
        raise exceptions.InvalidObject(f"Zone type must be one of {', '.join(ZONE_TYPES)}.")
    if email is None and type != PRIMARY:
        email = "hostmaster@" + name.rstrip(".")
    email = valid.email(email)
    masters = _check_masters(type, masters)
    zone = models.DNSZone(
        project_id=project_id, name=name, email=email,
        ttl=CONF.dns.default_ttl if ttl is None else valid.ttl(ttl), serial=next_serial(0),
        refresh=CONF.dns.soa_refresh, retry=CONF.dns.soa_retry,
        expire=CONF.dns.soa_expire, minimum=CONF.dns.soa_minimum,
        status=PENDING, action=CREATE, type=type, masters=masters,
        attributes=dict(attributes or {}), description=description,
        pool_id=CONF.dns.pool_id, version=1, shared=False)
    return zone


def add_zone(s: orm.Session, zone: models.DNSZone) -> None:
    """Add ``zone`` (from new_zone) within its TLDs, quota and neighbours; a PRIMARY one
    gets Strato's SOA and NS recordsets."""
    dns_tlds.check_zone_name(s, zone.name)
    count = s.scalar(sa.select(sa.func.count()).select_from(models.DNSZone)
                     .filter_by(project_id=zone.project_id)) or 0
    dns_quotas.check(s, zone.project_id, "zones", count + 1)
    _check_neighbours(s, zone.project_id, zone.name)
    s.add(zone)
    s.flush()
    if zone.type == PRIMARY:
        managed: dict[str, Any] = {"managed": True, "status": PENDING, "action": CREATE}
        s.add(new_recordset(zone, zone.name, "SOA", [soa_record(zone)], **managed))
        s.add(new_recordset(zone, zone.name, "NS",
                            [valid.zone_name(ns) for ns in CONF.dns.nameservers], **managed))


def create_zone(ctxt: Context, project_id: str, name: str, **values: Any) -> ZoneRecord:
    """Create a zone (PENDING/CREATE) of ``project_id`` from new_zone's ``values``."""
    zone = new_zone(project_id, name, **values)
    try:
        with session.transaction() as s:
            add_zone(s, zone)
            created = _zone_record(zone)
    except sa_exc.IntegrityError as error:
        raise exceptions.DuplicateZone(name=zone.name) from error
    return created


def get_zone(ctxt: Context, zone_id: str, project_id: str | None = None) -> ZoneRecord:
    with session.reader() as s:
        return _zone_record(_zone(s, zone_id, project_id, target_may=True))


def _zones_query(query: sa.Select, project_id: str | None,
                 filters: dict[str, object] | None) -> sa.Select:
    if project_id is not None:
        query = query.where(dns_shares.visible_to(project_id))
    return dns_filters.apply(query, models.DNSZone, filters, ZONE_FILTERS)


def list_zones(ctxt: Context, project_id: str | None = None,
               filters: dict[str, object] | None = None, limit: int | None = None,
               marker: str | None = None, sort_key: str = "id",
               sort_dir: str = "asc") -> list[ZoneRecord]:
    """Zones of ``project_id`` and those shared with it (all when None), sorted by one of
    ZONE_SORT_KEYS."""
    if sort_key not in ZONE_SORT_KEYS:
        raise exceptions.InvalidSortKey()
    query = _zones_query(sa.select(models.DNSZone), project_id, filters)
    with session.reader() as s:
        return [_zone_record(zone) for zone in dns_paging.page(
            s, query, models.DNSZone, limit, marker, sort_key, sort_dir)]


def count_zones(ctxt: Context, project_id: str | None = None,
                filters: dict[str, object] | None = None) -> int:
    """What a list with the same filters holds in all (metadata.total_count)."""
    query = sa.select(sa.func.count()).select_from(models.DNSZone)
    with session.reader() as s:
        return s.scalar(_zones_query(query, project_id, filters))


def update_zone(ctxt: Context, zone_id: str, values: dict[str, Any],
                project_id: str | None = None) -> ZoneRecord:
    """Change email, ttl, description, masters or attributes; the zone goes PENDING/UPDATE."""
    unknown = set(values) - set(_ZONE_MUTABLE)
    if unknown:
        raise exceptions.InvalidObject(f"Zone attributes {sorted(unknown)} cannot be changed.")
    with session.transaction() as s:
        zone = _zone(s, zone_id, project_id, for_update=True)
        if zone.action == DELETE:
            raise exceptions.DNSBadRequest(f"Zone {zone.name} is being deleted.")
        if "email" in values:
            zone.email = valid.email(values["email"])
        ttl = valid.ttl(values.get("ttl"))
        if ttl is not None:
            zone.ttl = ttl
        if "description" in values:
            zone.description = values["description"]
        if "masters" in values:
            zone.masters = _check_masters(zone.type, values["masters"])
        if "attributes" in values:
            zone.attributes = dict(values["attributes"] or {})
        touch(s, zone)
        if zone.action != DELETE:
            zone.action = UPDATE  # even while its creation is pending, as Designate says
        s.flush()
        return _zone_record(zone)


def delete_zone(ctxt: Context, zone_id: str, project_id: str | None = None,
                delete_shares: bool = False) -> ZoneRecord:
    """Mark the zone PENDING/DELETE; the dns agent removes it everywhere, then purges it.

    A shared zone is refused unless ``delete_shares``: then its shares go at once.
    """
    with session.transaction() as s:
        zone = _zone(s, zone_id, project_id, for_update=True)
        dns_shares.remove_all(s, zone, delete_shares)
        zone.action = DELETE
        zone.status = PENDING
        zone.version += 1
        s.flush()
        return _zone_record(zone)


def nameservers() -> list[dict[str, object]]:
    """Strato's nameservers ([dns] nameservers): those of every zone, and of its pool."""
    return [{"hostname": valid.zone_name(ns), "priority": position}
            for position, ns in enumerate(CONF.dns.nameservers, start=1)]


def list_nameservers(ctxt: Context, zone_id: str,
                     project_id: str | None = None) -> list[dict[str, object]]:
    """The zone's nameservers as GET /zones/{id}/nameservers lists them."""
    get_zone(ctxt, zone_id, project_id)
    return nameservers()


# --- recordsets -------------------------------------------------------------------------

def _recordsets_at(s: orm.Session, zone: models.DNSZone, name: str) -> list:
    return list(s.scalars(sa.select(models.DNSRecordSet).filter_by(zone_id=zone.id,
                                                                   name=name)))


def _check_placement(s: orm.Session, zone: models.DNSZone, name: str, rtype: str,
                     existing: list[models.DNSRecordSet],
                     recordset_id: str | None = None) -> None:
    """Not inside a child zone; a CNAME alone at its name."""
    children = [z for z in s.scalars(sa.select(models.DNSZone.name).where(
        models.DNSZone.name.in_([name, *ancestors(name)]))) if z != zone.name
        and valid.is_within(z, zone.name)]
    if children and not (rtype == "NS" and name in children):
        raise exceptions.InvalidRecordSetLocation(
            name=name, reason=f"it belongs to child zone {children[0]}")
    others = {rs.type for rs in existing if rs.id != recordset_id and rs.action != DELETE}
    if (rtype == "CNAME" and others) or (rtype != "CNAME" and "CNAME" in others):
        raise exceptions.InvalidRecordSetLocation(
            name=name, reason="a CNAME cannot coexist with other records at the same name")


def _check_record_quotas(s: orm.Session, zone: models.DNSZone, adding_recordsets: int,
                         records: int, replaced_records: int = 0) -> None:
    dns_quotas.check(s, zone.project_id, "recordset_records", records)
    recordsets = s.scalar(sa.select(sa.func.count()).select_from(models.DNSRecordSet)
                          .filter_by(zone_id=zone.id)) or 0
    dns_quotas.check(s, zone.project_id, "zone_recordsets", recordsets + adding_recordsets)
    in_zone = s.scalar(sa.select(sa.func.count()).select_from(models.DNSRecord).join(
        models.DNSRecordSet).where(models.DNSRecordSet.zone_id == zone.id)) or 0
    dns_quotas.check(s, zone.project_id, "zone_records", in_zone - replaced_records + records)


def _editable_zone(s: orm.Session, zone_id: str, project_id: str | None) -> models.DNSZone:
    """A zone whose recordsets ``project_id`` may change: its own, or one shared with it."""
    zone = _zone(s, zone_id, project_id, for_update=True, target_may=True)
    if zone.action == DELETE:
        raise exceptions.DNSBadRequest(f"Zone {zone.name} is being deleted.")
    if zone.type != PRIMARY:
        raise exceptions.DNSBadRequest(f"Recordsets of {zone.type} zones cannot be changed.")
    return zone


def _recordset_type(rtype: object) -> str:
    rtype = rtype.upper() if isinstance(rtype, str) else rtype
    if rtype == "SOA":
        raise exceptions.DNSBadRequest("SOA recordsets are managed by Strato.")
    if rtype not in valid.USER_TYPES:
        raise exceptions.InvalidObject(f"Unsupported recordset type {rtype!r}.")
    return rtype


def create_recordset(ctxt: Context, zone_id: str, name: str, type: str,
                     records: list[str], ttl: int | None = None,
                     description: str | None = None,
                     project_id: str | None = None) -> RecordSetRecord:
    """Create a recordset (PENDING/CREATE) in a PRIMARY zone; the zone goes PENDING.

    It belongs to ``project_id``: the zone's owner, or a project the zone is shared with.
    """
    rtype = _recordset_type(type)
    with session.transaction() as s:
        zone = _editable_zone(s, zone_id, project_id)
        recordset = add_recordset(s, zone, name, rtype, records, ttl, description,
                                  project_id)
        touch(s, zone)
        return _recordset_record(recordset)


def add_recordset(s: orm.Session, zone: models.DNSZone, name: str, rtype: str,
                  records: list[str], ttl: int | None = None,
                  description: str | None = None,
                  project_id: str | None = None) -> models.DNSRecordSet:
    """Validate and add a recordset (PENDING/CREATE) of a user type to ``zone``; the
    caller touches the zone."""
    rtype = _recordset_type(rtype)
    name = valid.recordset_name(name, zone.name)
    records = valid.records(rtype, name, zone.name, records)
    ttl = valid.ttl(ttl)
    existing = _recordsets_at(s, zone, name)
    _check_placement(s, zone, name, rtype, existing)
    same = [rs for rs in existing if rs.type == rtype]
    if same and same[0].action != DELETE:
        raise exceptions.DuplicateRecordSet(name=name, type=rtype)
    for stale in same:  # pending deletion: the new recordset takes its place now
        s.delete(stale)
    s.flush()
    _check_record_quotas(s, zone, 1, len(records))
    recordset = new_recordset(zone, name, rtype, records, project_id, ttl=ttl,
                              description=description, status=PENDING, action=CREATE)
    s.add(recordset)
    return recordset


def _get_recordset(s: orm.Session, zone_id: str, recordset_id: str,
                   hide_deleted: bool = False) -> models.DNSRecordSet:
    recordset = s.get(models.DNSRecordSet, recordset_id)
    if recordset is None or recordset.zone_id != zone_id or (
            hide_deleted and recordset.action == DELETE):
        raise exceptions.RecordSetNotFound(recordset_id=recordset_id)
    return recordset


def get_recordset(ctxt: Context, zone_id: str | None, recordset_id: str,
                  project_id: str | None = None,
                  hide_deleted: bool = False) -> RecordSetRecord:
    """A recordset by id (``zone_id`` None: in whatever zone it is).

    ``hide_deleted``: one marked for deletion is not found (as the API shows it: gone).
    """
    with session.reader() as s:
        if zone_id is not None:
            _zone(s, zone_id, project_id, target_may=True)
        query = _recordsets_query(sa.select(models.DNSRecordSet), zone_id, project_id, None,
                                  hide_deleted)
        recordset = s.scalars(query.filter_by(id=recordset_id)).one_or_none()
        if recordset is None:
            raise exceptions.RecordSetNotFound(recordset_id=recordset_id)
        return _recordset_record(recordset)


def _recordsets_query(query: sa.Select, zone_id: str | None, project_id: str | None,
                      filters: dict[str, object] | None,
                      hide_deleted: bool = False) -> sa.Select:
    filters = dict(filters or {})
    data = filters.pop("data", None)
    if hide_deleted:
        query = query.where(models.DNSRecordSet.action != DELETE)
    if zone_id is not None:
        query = query.where(models.DNSRecordSet.zone_id == zone_id)
    if project_id is not None:  # every recordset of the zones it sees
        query = query.where(models.DNSRecordSet.zone_id.in_(
            sa.select(models.DNSZone.id).where(dns_shares.visible_to(project_id))))
    if data is not None:
        query = query.where(models.DNSRecordSet.id.in_(
            sa.select(models.DNSRecord.recordset_id).where(
                dns_filters.matches(models.DNSRecord.data, data))))
    return dns_filters.apply(query, models.DNSRecordSet, filters, RECORDSET_FILTERS)


def list_recordsets(ctxt: Context, zone_id: str | None = None,
                    project_id: str | None = None,
                    filters: dict[str, object] | None = None, limit: int | None = None,
                    marker: str | None = None, sort_key: str = "id", sort_dir: str = "asc",
                    hide_deleted: bool = False) -> list[RecordSetRecord]:
    """Recordsets of a zone (or of every zone), sorted by one of RECORDSET_SORT_KEYS;
    filters may use ``data``."""
    if sort_key not in RECORDSET_SORT_KEYS:
        raise exceptions.InvalidSortKey()
    with session.reader() as s:
        if zone_id is not None:
            _zone(s, zone_id, project_id, target_may=True)
        query = _recordsets_query(sa.select(models.DNSRecordSet), zone_id, project_id,
                                  filters, hide_deleted)
        return [_recordset_record(recordset) for recordset in dns_paging.page(
            s, query, models.DNSRecordSet, limit, marker, sort_key, sort_dir)]


def count_recordsets(ctxt: Context, zone_id: str | None = None, project_id: str | None = None,
                     filters: dict[str, object] | None = None,
                     hide_deleted: bool = False) -> int:
    query = sa.select(sa.func.count()).select_from(models.DNSRecordSet)
    with session.reader() as s:
        return s.scalar(_recordsets_query(query, zone_id, project_id, filters,
                                          hide_deleted))


def _check_editable(recordset: models.DNSRecordSet, zone: models.DNSZone,
                    project_id: str | None, edit_managed: bool) -> None:
    """The zone's owner changes every recordset, a project it is shared with its own."""
    if project_id is not None and project_id not in (zone.project_id, recordset.project_id):
        raise exceptions.DNSForbidden(
            f"Recordset {recordset.id} belongs to project {recordset.project_id}: a project "
            f"zone {zone.name} is shared with changes only its own recordsets.")
    if recordset.type == "SOA" or (recordset.managed and not edit_managed):
        raise exceptions.DNSBadRequest("Managed recordsets cannot be changed.")


def _check_unchanged(recordset: models.DNSRecordSet, zone: models.DNSZone,
                     values: dict[str, Any]) -> None:
    if "name" in values and valid.recordset_name(values["name"], zone.name) != recordset.name:
        raise exceptions.InvalidObject("The name of a recordset cannot be changed.")
    if "type" in values and (values["type"] or "").upper() != recordset.type:
        raise exceptions.InvalidObject("The type of a recordset cannot be changed.")


def update_recordset(ctxt: Context, zone_id: str, recordset_id: str,
                     values: dict[str, Any], project_id: str | None = None,
                     edit_managed: bool = False) -> RecordSetRecord:
    """Change records, ttl or description; recordset and zone go PENDING.

    ``name`` and ``type`` may come along when they do not change.
    """
    unknown = set(values) - set(_RECORDSET_MUTABLE) - set(_RECORDSET_IMMUTABLE)
    if unknown:
        raise exceptions.InvalidObject(
            f"Recordset attributes {sorted(unknown)} cannot be changed.")
    with session.transaction() as s:
        zone = _editable_zone(s, zone_id, project_id)
        # One being deleted is gone already: a second delete is a 404, as in Designate.
        recordset = _get_recordset(s, zone_id, recordset_id, hide_deleted=True)
        _check_editable(recordset, zone, project_id, edit_managed)
        _check_unchanged(recordset, zone, values)
        if "records" in values:
            records = valid.records(recordset.type, recordset.name, zone.name,
                                    values["records"])
            _check_record_quotas(s, zone, 0, len(records), len(recordset.records))
            set_records(recordset, records)
        if "ttl" in values:
            recordset.ttl = valid.ttl(values["ttl"])
        if "description" in values:
            recordset.description = values["description"]
        mark_pending(recordset, UPDATE)
        touch(s, zone)
        return _recordset_record(recordset)


def delete_recordset(ctxt: Context, zone_id: str, recordset_id: str,
                     project_id: str | None = None,
                     edit_managed: bool = False) -> RecordSetRecord:
    """Mark the recordset PENDING/DELETE; it is purged once the backends dropped it."""
    with session.transaction() as s:
        zone = _editable_zone(s, zone_id, project_id)
        # One being deleted is gone already: a second delete is a 404, as in Designate.
        recordset = _get_recordset(s, zone_id, recordset_id, hide_deleted=True)
        _check_editable(recordset, zone, project_id, edit_managed)
        mark_pending(recordset, DELETE)
        touch(s, zone)
        return _recordset_record(recordset)


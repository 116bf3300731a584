"""PTR records users set on their floating IPs (Designate's /v2/reverse/floatingips).

A PTR set this way is a managed recordset (``managed_resource_type`` "ptr:floatingip")
in the PRIMARY zone that holds the address's reverse name, e.g. ``2.0.192.in-addr.arpa.``:
an operator creates that zone, Strato fills it. It takes the place of the PTR Strato
publishes on its own for a floating IP of a named port (common.db.api.dns_network),
which then yields to it. After set or unset, cast ``sync_zone`` for the zone returned.

A PTR is shown as ``{"floatingip_id", "address", "ptrdname", "ttl", "description",
"status", "action"}``; ptrdname is None while none is set.
"""
import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import dns as dns_api
from common.db.api import dns_network
from common.db.models.dns import ACTIVE, CREATE, DELETE, NONE, PENDING, PRIMARY, UPDATE
from common.dns import validation as dns_validation

PTR_FLOATINGIP = "ptr:floatingip"
Context = context.RequestContext


def _floatingips(s: orm.Session, project_id: str | None,
                 fip_id: str | None = None) -> list[models.FloatingIP]:
    query = sa.select(models.FloatingIP).order_by(models.FloatingIP.id)
    if project_id is not None:
        query = query.where(models.FloatingIP.project_id == project_id)
    if fip_id is not None:
        query = query.where(models.FloatingIP.id == fip_id)
    return list(s.scalars(query))


def _floatingip(s: orm.Session, fip_id: str, project_id: str | None) -> models.FloatingIP:
    found = _floatingips(s, project_id, fip_id)
    if not found:
        raise exceptions.FloatingIPNotFound(f"Floating IP {fip_id} could not be found.")
    return found[0]


def _ptrs(s: orm.Session, fip_ids: list[str]) -> dict[str, models.DNSRecordSet]:
    query = sa.select(models.DNSRecordSet).where(
        models.DNSRecordSet.managed_resource_type == PTR_FLOATINGIP,
        models.DNSRecordSet.managed_resource_id.in_(fip_ids))
    return {str(rs.managed_resource_id): rs for rs in s.scalars(query)}


def _shown(fip: models.FloatingIP, recordset: models.DNSRecordSet | None) -> dict:
    live = recordset if recordset is not None and recordset.action != DELETE else None
    return {"floatingip_id": fip.id, "address": fip.floating_ip_address,
            "ptrdname": live.records[0].data if live else None,
            "ttl": live.ttl if live else None,
            "description": live.description if live else None,
            "status": recordset.status if recordset is not None else ACTIVE,
            "action": recordset.action if recordset is not None else NONE}


def list_ptrs(ctxt: Context, project_id: str | None) -> list[dict]:
    """The PTRs of every floating IP of ``project_id`` (all projects when None)."""
    with session.reader() as s:
        fips = _floatingips(s, project_id)
        ptrs = _ptrs(s, [fip.id for fip in fips])
        return [_shown(fip, ptrs.get(fip.id)) for fip in fips]


def get_ptr(ctxt: Context, fip_id: str, project_id: str | None) -> dict:
    with session.reader() as s:
        fip = _floatingip(s, fip_id, project_id)
        return _shown(fip, _ptrs(s, [fip.id]).get(fip.id))


def _reverse_zone(s: orm.Session, name: str) -> models.DNSZone:
    """The PRIMARY zone holding ``name`` (the deepest one)."""
    candidates = [name, *dns_api.ancestors(name)]
    zones = {zone.name: zone for zone in s.scalars(sa.select(models.DNSZone).where(
        models.DNSZone.name.in_(candidates), models.DNSZone.type == PRIMARY,
        models.DNSZone.action != DELETE))}
    for candidate in candidates:
        if candidate in zones:
            return zones[candidate]
    raise exceptions.InvalidObject(f"No zone holds {name}: create the reverse zone first.")


def _claim(s: orm.Session, zone: models.DNSZone, name: str, fip_id: str
           ) -> models.DNSRecordSet | None:
    """The PTR recordset at ``name`` this floating IP may take over, if any."""
    existing = s.scalars(sa.select(models.DNSRecordSet).filter_by(
        zone_id=zone.id, name=name, type="PTR")).one_or_none()
    if existing is None:
        return None
    if existing.managed_resource_type == dns_network.FLOATINGIP or (
            existing.managed_resource_type == PTR_FLOATINGIP
            and existing.managed_resource_id == fip_id) or existing.action == DELETE:
        return existing
    raise exceptions.DuplicateRecordSet(name=name, type="PTR")


def set_ptr(ctxt: Context, fip_id: str, project_id: str | None, ptrdname: str,
            ttl: int | None = None, description: str | None = None) -> tuple[dict, str]:
    """Point the floating IP's reverse name at ``ptrdname``; returns (ptr, zone id)."""
    target = dns_validation.host_name(ptrdname)
    ttl = dns_validation.ttl(ttl)
    with session.transaction() as s:
        fip = _floatingip(s, fip_id, project_id)
        name = dns_validation.reverse_name(fip.floating_ip_address)
        zone = _reverse_zone(s, name)
        recordset = _claim(s, zone, name, fip.id)
        if recordset is None:
            recordset = dns_api.new_recordset(zone, name, "PTR", [target], status=PENDING,
                                              action=CREATE)
            s.add(recordset)
        else:
            dns_api.set_records(recordset, [target])
            dns_api.mark_pending(recordset,
                                 CREATE if recordset.action == DELETE else UPDATE)
        recordset.managed = True
        recordset.managed_resource_type = PTR_FLOATINGIP
        recordset.managed_resource_id = fip.id
        recordset.ttl, recordset.description = ttl, description
        dns_api.touch(s, zone)
        s.flush()
        return _shown(fip, recordset), zone.id


def unset_ptr(ctxt: Context, fip_id: str, project_id: str | None) -> tuple[dict, str | None]:
    """Remove the floating IP's PTR; returns (ptr, id of the zone that changed or None)."""
    with session.transaction() as s:
        fip = _floatingip(s, fip_id, project_id)
        recordset = _ptrs(s, [fip.id]).get(fip.id)
        if recordset is None or recordset.action == DELETE:
            return _shown(fip, recordset), None
        dns_api.mark_pending(recordset, DELETE)
        dns_api.touch(s, recordset.zone)
        return _shown(fip, recordset), recordset.zone_id

"""The dns agent's side of the database, served through the conductor.

``get_zones`` gives the desired state as plain data (a snapshot per zone); the agent
applies it to every backend and reports with ``zones_synced``; zones marked for deletion
are removed from the backends, then ``purge_zone`` drops their rows.
"""
import sqlalchemy as sa
from oslo_log import log as logging
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api.dns import soa_record
from common.db.models.dns import ACTIVE, DELETE, ERROR, NONE, PENDING, SECONDARY
from common.db.types import utcnow
from common.dns import validation as dns_validation
from common.dns.snapshots import RecordSet, Zone

LOG = logging.getLogger(__name__)


def _records(recordset: models.DNSRecordSet) -> list[str]:
    records = []
    for record in recordset.records:
        try:
            records.append(dns_validation.canonical_rdata(recordset.type, record.data))
        except exceptions.InvalidObject:
            # Validated when written; a row edited by hand must not stop the whole zone.
            LOG.warning("skipping invalid %s record %r of %s", recordset.type, record.data,
                        recordset.name)
    return records


def _snapshot(zone: models.DNSZone, recordsets: list[models.DNSRecordSet]) -> Zone:
    served: list[RecordSet] = [{"name": rs.name, "type": rs.type, "ttl": rs.ttl or zone.ttl,
               "records": [soa_record(zone)] if rs.type == "SOA" else _records(rs)}
              for rs in recordsets if rs.action != DELETE]
    return {"id": zone.id, "name": zone.name, "type": zone.type, "serial": zone.serial,
            "ttl": zone.ttl, "masters": list(zone.masters), "action": zone.action,
            "status": zone.status, "recordsets": [rs for rs in served if rs["records"]]}


def get_zones(ctxt: context.RequestContext, zone_ids: list[str] | None = None) -> list[Zone]:
    """Snapshots of the given zones (all zones when None), those being deleted included.

    A snapshot: id, name, type, serial, ttl, masters, action, status, and recordsets
    (name, type, ttl, records as master-file text) without those being deleted.
    """
    query = sa.select(models.DNSZone).order_by(models.DNSZone.name)
    if zone_ids is not None:
        query = query.where(models.DNSZone.id.in_(zone_ids))
    with session.reader() as s:
        zones = list(s.scalars(query))
        by_zone: dict[str, list] = {zone.id: [] for zone in zones}
        rs_query = sa.select(models.DNSRecordSet).order_by(models.DNSRecordSet.name,
                                                            models.DNSRecordSet.type)
        if zone_ids is not None:
            rs_query = rs_query.where(models.DNSRecordSet.zone_id.in_(zone_ids))
        for recordset in s.scalars(rs_query):
            by_zone.setdefault(recordset.zone_id, []).append(recordset)
        return [_snapshot(zone, by_zone[zone.id]) for zone in zones]


def zones_synced(ctxt: context.RequestContext, results: list[dict]) -> None:
    """Record what the agent applied: ``{"zone_id", "serial", "ok", "transferred"}`` each.

    A zone whose serial moved on since the snapshot stays PENDING: a newer sync is on
    its way. Otherwise it becomes ACTIVE (or ERROR when a backend failed), its pending
    recordsets ACTIVE, and recordsets marked for deletion are purged. ``transferred`` is
    the serial a SECONDARY zone now has from its masters.
    """
    with session.transaction() as s:
        for result in results:
            zone_type = s.scalar(sa.select(models.DNSZone.type).filter_by(
                id=result["zone_id"]))
            changes: dict[str, object] = {"status": ERROR}
            if result["ok"]:
                changes = {"status": ACTIVE, "action": NONE}
                if zone_type == SECONDARY and result.get("transferred") is not None:
                    changes.update(serial=result["transferred"], transferred_at=utcnow())
            # Compare-and-set in one statement: a change committed since the snapshot
            # (a new serial, a deletion) wins, whatever this transaction read before.
            updated = session.rowcount(s.execute(sa.update(models.DNSZone).where(
                models.DNSZone.id == result["zone_id"],
                models.DNSZone.serial == result["serial"],
                models.DNSZone.action != DELETE).values(**changes)))
            if updated and result["ok"]:
                _settle_recordsets(s, result["zone_id"])


def _settle_recordsets(s: orm.Session, zone_id: str) -> None:
    s.execute(sa.delete(models.DNSRecordSet).filter_by(zone_id=zone_id, action=DELETE))
    s.execute(sa.update(models.DNSRecordSet).filter_by(zone_id=zone_id, status=PENDING)
              .values(status=ACTIVE, action=NONE))


def purge_zone(ctxt: context.RequestContext, zone_id: str) -> None:
    """Drop a zone marked for deletion (the agent removed it from every backend)."""
    with session.transaction() as s:
        s.execute(sa.delete(models.DNSZone).filter_by(id=zone_id, action=DELETE))

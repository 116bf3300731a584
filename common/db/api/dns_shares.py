"""Zone shares (DNS API 2.1): a zone's owner lets other projects use the zone.

Who may do what with a zone, ``project_id`` being the caller's (None: an admin's
x-auth-all-projects, who may do everything):

- the owner (``zone.project_id``) sees and changes the zone, all its recordsets and all
  its shares;
- a target (a project the zone is shared with) sees the zone, which shows ``shared:
  true``, its recordsets and its own share; it creates recordsets, which belong to it
  (quotas stay the owner's), and changes only those; updating, deleting or sharing the
  zone is the owner's (403);
- any other project does not see the zone at all (404).

A zone with shares is deleted only together with them (``X-Designate-Delete-Shares``);
a share is removed only while its target owns no recordset in the zone. ``zone.shared``
says whether a share exists; it changes with the zone row locked.
"""
import dataclasses
import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import dns_filters, dns_paging
from common.db.api.records import from_row
from common.db.models.dns import DELETE

SHARE_FILTERS = ("target_project_id",)
# Columns lists may sort by (never null, see dns_paging).
SHARE_SORT_KEYS = ("id", "created_at", "target_project_id", "project_id")
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class ShareRecord:
    id: str
    zone_id: str
    project_id: str
    target_project_id: str
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def shared_with(project_id: str) -> sa.Select:
    """Ids of the zones shared with ``project_id``."""
    return sa.select(models.DNSZoneShare.zone_id).where(
        models.DNSZoneShare.target_project_id == project_id)


def visible_to(project_id: str) -> sa.ColumnElement:
    """The zones ``project_id`` sees: its own and those shared with it."""
    return sa.or_(models.DNSZone.project_id == project_id,
                  models.DNSZone.id.in_(shared_with(project_id)))


def check_access(s: orm.Session, zone: models.DNSZone, project_id: str | None,
                 target_may: bool) -> None:
    """``project_id`` may act on ``zone`` as its owner, or as a target if ``target_may``.

    A target that may not gets a 403 (it knows the zone); anyone else a 404.
    """
    if project_id is None or zone.project_id == project_id:
        return
    share = s.scalar(sa.select(models.DNSZoneShare.id).filter_by(
        zone_id=zone.id, target_project_id=project_id).limit(1))
    if share is None:
        raise exceptions.ZoneNotFound(zone_id=zone.id)
    if not target_may:
        raise exceptions.DNSForbidden(
            f"Zone {zone.name} is shared with project {project_id}: only its owner may "
            "change, delete or share it.")


def _zone(s: orm.Session, zone_id: str, project_id: str | None, target_may: bool,
          for_update: bool = False) -> models.DNSZone:
    zone = s.get(models.DNSZone, zone_id, with_for_update=for_update)
    if zone is None:
        raise exceptions.ZoneNotFound(zone_id=zone_id)
    check_access(s, zone, project_id, target_may)
    return zone


def _share_exists(s: orm.Session, zone_id: str) -> bool:
    return s.scalar(sa.select(models.DNSZoneShare.id).filter_by(zone_id=zone_id)
                    .limit(1)) is not None


def create_share(ctxt: Context, zone_id: str, target_project_id: str, owner: str,
                 project_id: str | None) -> ShareRecord:
    """Share the zone with ``target_project_id``; the share belongs to ``owner``, the
    caller's project."""
    try:
        with session.transaction() as s:
            zone = _zone(s, zone_id, project_id, target_may=False, for_update=True)
            if zone.action == DELETE:
                raise exceptions.DNSBadRequest(f"Zone {zone.name} is being deleted.")
            if target_project_id == zone.project_id:
                raise exceptions.DNSBadRequest(
                    f"Zone {zone.name} cannot be shared with its owner.")
            if s.scalar(sa.select(models.DNSZoneShare.id).filter_by(
                    zone_id=zone.id, target_project_id=target_project_id)) is not None:
                raise exceptions.DuplicateZoneShare(zone_id=zone.id,
                                                    target_project_id=target_project_id)
            share = models.DNSZoneShare(zone_id=zone.id, project_id=owner,
                                        target_project_id=target_project_id)
            s.add(share)
            zone.shared = True
            s.flush()
            return from_row(ShareRecord, share)
    except sa_exc.IntegrityError as error:  # a concurrent request shared it first
        raise exceptions.DuplicateZoneShare(
            zone_id=zone_id, target_project_id=target_project_id) from error


def _shares_query(s: orm.Session, query: sa.Select, zone_id: str,
                  project_id: str | None) -> sa.Select:
    """Shares of the zone ``project_id`` may see: all for the owner, its own for a
    target."""
    zone = _zone(s, zone_id, project_id, target_may=True)
    query = query.where(models.DNSZoneShare.zone_id == zone.id)
    if project_id is not None and zone.project_id != project_id:
        query = query.where(models.DNSZoneShare.target_project_id == project_id)
    return query


def get_share(ctxt: Context, zone_id: str, share_id: str,
              project_id: str | None = None) -> ShareRecord:
    with session.reader() as s:
        query = _shares_query(s, sa.select(models.DNSZoneShare), zone_id, project_id)
        share = s.scalars(query.filter_by(id=share_id)).one_or_none()
        if share is None:
            raise exceptions.ZoneShareNotFound(share_id=share_id)
        return from_row(ShareRecord, share)


def list_shares(ctxt: Context, zone_id: str, project_id: str | None = None,
                filters: dict[str, object] | None = None, limit: int | None = None,
                marker: str | None = None, sort_key: str = "id",
                sort_dir: str = "asc") -> list[ShareRecord]:
    """Shares of a zone, sorted by one of SHARE_SORT_KEYS."""
    if sort_key not in SHARE_SORT_KEYS:
        raise exceptions.InvalidSortKey()
    with session.reader() as s:
        query = _shares_query(s, sa.select(models.DNSZoneShare), zone_id, project_id)
        query = dns_filters.apply(query, models.DNSZoneShare, filters, SHARE_FILTERS)
        return [from_row(ShareRecord, share) for share in dns_paging.page(
            s, query, models.DNSZoneShare, limit, marker, sort_key, sort_dir)]


def count_shares(ctxt: Context, zone_id: str, project_id: str | None = None,
                 filters: dict[str, object] | None = None) -> int:
    """What a list with the same filters holds in all (metadata.total_count)."""
    query = sa.select(sa.func.count()).select_from(models.DNSZoneShare)
    with session.reader() as s:
        query = _shares_query(s, query, zone_id, project_id)
        return s.scalar(dns_filters.apply(query, models.DNSZoneShare, filters,
                                          SHARE_FILTERS))


def delete_share(ctxt: Context, zone_id: str, share_id: str, project_id: str | None = None) -> None:
    """Stop sharing; refused while the target still owns recordsets in the zone."""
    with session.transaction() as s:
        zone = _zone(s, zone_id, project_id, target_may=False, for_update=True)
        share = s.get(models.DNSZoneShare, share_id)
        if share is None or share.zone_id != zone.id:
            raise exceptions.ZoneShareNotFound(share_id=share_id)
        owned = s.scalar(sa.select(sa.func.count()).select_from(models.DNSRecordSet).where(
            models.DNSRecordSet.zone_id == zone.id,
            models.DNSRecordSet.project_id == share.target_project_id,
            models.DNSRecordSet.action != DELETE))
        if owned:
            raise exceptions.DNSBadRequest(
                f"Project {share.target_project_id} still owns {owned} recordset(s) in "
                f"zone {zone.name}: delete them before unsharing the zone.")
        s.delete(share)
        s.flush()
        zone.shared = _share_exists(s, zone.id)


def remove_all(s: orm.Session, zone: models.DNSZone, confirmed: bool) -> None:
    """Before ``zone`` (locked) is deleted: its shares go too, but only if ``confirmed``."""
    if not _share_exists(s, zone.id):
        return
    if not confirmed:
        raise exceptions.DNSBadRequest(
            f"Zone {zone.name} is shared with other projects: remove its shares first, or "
            "delete it with the header X-Designate-Delete-Shares: true.")
    s.execute(sa.delete(models.DNSZoneShare).where(models.DNSZoneShare.zone_id == zone.id))
    zone.shared = False

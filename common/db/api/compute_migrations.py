"""Migrations: the record of a resize, cold or live migration of one instance."""
import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

Migration = models.Migration
Context = context.RequestContext
IN_PROGRESS = ("pre-migrating", "migrating", "post-migrating", "finished", "reverting",
               "confirming", "queued", "preparing", "running")


@dataclasses.dataclass(frozen=True)
class MigrationRecord:
    id: int
    uuid: str
    instance_uuid: str
    migration_type: str
    status: str
    source_compute: str | None
    source_node: str | None
    dest_compute: str | None
    dest_node: str | None
    old_flavor_id: str | None
    new_flavor_id: str | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _record(row: Migration) -> MigrationRecord:
    return from_row(MigrationRecord, row)


def _row(s: orm.Session, uuid: str) -> Migration:
    migration = s.scalars(sa.select(Migration).filter_by(uuid=uuid)).one_or_none()
    if migration is None:
        raise exceptions.MigrationNotFound(migration_id=uuid)
    return migration


def create(ctxt: Context, values: Mapping[str, Any]) -> MigrationRecord:
    with session.transaction() as s:
        migration = Migration(**values)
        s.add(migration)
        s.flush()
        return _record(migration)


def get(ctxt: Context, uuid: str) -> MigrationRecord:
    with session.reader() as s:
        return _record(_row(s, uuid))


def get_for_instance(ctxt: Context, instance_uuid: str, migration_id: str) -> MigrationRecord:
    """A migration of the instance by its id (the number the API shows) or uuid."""
    column = Migration.id if migration_id.isdigit() else Migration.uuid
    value: Any = int(migration_id) if migration_id.isdigit() else migration_id
    with session.reader() as s:
        migration = s.scalars(sa.select(Migration).where(
            column == value, Migration.instance_uuid == instance_uuid)).one_or_none()
    if migration is None:
        raise exceptions.MigrationNotFoundForInstance(migration_id=migration_id,
                                                      instance_id=instance_uuid)
    return _record(migration)


def update(ctxt: Context, uuid: str, values: Mapping[str, Any]) -> MigrationRecord:
    with session.transaction() as s:
        migration = _row(s, uuid)
        for key, value in values.items():
            setattr(migration, key, value)
        migration.updated_at = utcnow()
        s.flush()
        return _record(migration)


def finished_before(ctxt: Context, older_than: float) -> list[MigrationRecord]:
    """Resizes and cold migrations waiting for a confirm for more than ``older_than``
    seconds."""
    before = utcnow() - datetime.timedelta(seconds=older_than)
    with session.reader() as s:
        return [_record(row) for row in s.scalars(sa.select(Migration).where(
            Migration.status == "finished", Migration.updated_at <= before))]


def update_if(ctxt: Context, uuid: str, statuses: tuple[str, ...],
              values: Mapping[str, Any]) -> bool:
    """Change the migration only while its status is one of ``statuses`` (atomic)."""
    with session.transaction() as s:
        changed = s.execute(sa.update(Migration).where(
            Migration.uuid == uuid, Migration.status.in_(statuses))
            .values(**values, updated_at=utcnow()).execution_options(
                synchronize_session=False))
        return session.rowcount(changed) > 0


def in_progress_for(ctxt: Context, instance_uuid: str) -> MigrationRecord | None:
    """The instance's unfinished (or unconfirmed) migration, if any."""
    with session.reader() as s:
        migration = s.scalars(sa.select(Migration).where(
            Migration.instance_uuid == instance_uuid, Migration.status.in_(IN_PROGRESS))
            .order_by(Migration.id.desc()).limit(1)).first()
        return None if migration is None else _record(migration)


def count_in_progress(ctxt: Context, migration_type: str) -> int:
    with session.reader() as s:
        return s.scalar(sa.select(sa.func.count()).where(
            Migration.migration_type == migration_type,
            Migration.status.in_(IN_PROGRESS))) or 0


def list_migrations(ctxt: Context, instance_uuid: str | None = None,
                    status: str | None = None, host: str | None = None,
                    migration_type: str | None = None,
                    source_compute: str | None = None) -> list[MigrationRecord]:
    """Newest first; ``host`` is the source or the destination."""
    query = sa.select(Migration).order_by(Migration.id.desc())
    for column, value in (("instance_uuid", instance_uuid), ("status", status),
                          ("migration_type", migration_type),
                          ("source_compute", source_compute)):
        if value is not None:
            query = query.filter_by(**{column: value})
    if host is not None:
        query = query.where(sa.or_(Migration.source_compute == host,
                                   Migration.dest_compute == host))
    with session.reader() as s:
        return [_record(migration) for migration in s.scalars(query)]


def flavor_numbers(ctxt: Context, flavor_ids: set[str | None]) -> dict[str, int]:
    """Flavor id → the flavor's integer row id (Nova's instance type id)."""
    wanted = [flavor_id for flavor_id in flavor_ids if flavor_id]
    if not wanted:
        return {}
    with session.reader() as s:
        return dict(s.execute(sa.select(models.Flavor.flavorid, models.Flavor.id)
                              .where(models.Flavor.flavorid.in_(wanted))).all())


def to_dict(migration: MigrationRecord) -> dict[str, Any]:
    """The record as the conductor sends it over RPC (timestamps as ISO strings)."""
    return {key: (value.isoformat() if isinstance(value, datetime.datetime) else value)
            for key, value in dataclasses.asdict(migration).items()}

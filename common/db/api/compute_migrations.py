"""Migrations: the record of a resize (or cold migration) of one instance."""
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
               "confirming")


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


def update(ctxt: Context, uuid: str, values: Mapping[str, Any]) -> MigrationRecord:
    with session.transaction() as s:
        migration = _row(s, uuid)
        for key, value in values.items():
            setattr(migration, key, value)
        migration.updated_at = utcnow()
        s.flush()
        return _record(migration)


def in_progress_for(ctxt: Context, instance_uuid: str) -> MigrationRecord | None:
    """The instance's unfinished (or unconfirmed) migration, if any."""
    with session.reader() as s:
        migration = s.scalars(sa.select(Migration).where(
            Migration.instance_uuid == instance_uuid, Migration.status.in_(IN_PROGRESS))
            .order_by(Migration.id.desc()).limit(1)).first()
        return None if migration is None else _record(migration)


def list_migrations(ctxt: Context, instance_uuid: str | None = None,
                    status: str | None = None,
                    host: str | None = None) -> list[MigrationRecord]:
    query = sa.select(Migration).order_by(Migration.id.desc())
    if instance_uuid is not None:
        query = query.filter_by(instance_uuid=instance_uuid)
    if status is not None:
        query = query.filter_by(status=status)
    if host is not None:
        query = query.where(sa.or_(Migration.source_compute == host,
                                   Migration.dest_compute == host))
    with session.reader() as s:
        return [_record(migration) for migration in s.scalars(query)]


def to_dict(migration: MigrationRecord) -> dict[str, Any]:
    """The record as the conductor sends it over RPC (timestamps as ISO strings)."""
    return {key: (value.isoformat() if isinstance(value, datetime.datetime) else value)
            for key, value in dataclasses.asdict(migration).items()}

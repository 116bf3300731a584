"""Migrations: the record of a resize (or cold migration) of one instance."""
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from common import exceptions
from common.db import models, session
from common.db.types import utcnow

Migration = models.Migration
IN_PROGRESS = ("pre-migrating", "migrating", "post-migrating", "finished", "reverting",
               "confirming")


def create(values: Mapping[str, Any]) -> Migration:
    with session.transaction() as s:
        migration = Migration(**values)
        s.add(migration)
        return migration


def get(uuid: str) -> Migration:
    with session.reader() as s:
        migration = s.scalars(sa.select(Migration).filter_by(uuid=uuid)).one_or_none()
    if migration is None:
        raise exceptions.MigrationNotFound(migration_id=uuid)
    return migration


def update(uuid: str, values: Mapping[str, Any]) -> Migration:
    with session.transaction() as s:
        migration = s.scalars(sa.select(Migration).filter_by(uuid=uuid)).one_or_none()
        if migration is None:
            raise exceptions.MigrationNotFound(migration_id=uuid)
        for key, value in values.items():
            setattr(migration, key, value)
        migration.updated_at = utcnow()
        return migration


def in_progress_for(instance_uuid: str) -> Migration | None:
    """The instance's unfinished (or unconfirmed) migration, if any."""
    with session.transaction() as s:
        return s.scalars(sa.select(Migration).where(
            Migration.instance_uuid == instance_uuid, Migration.status.in_(IN_PROGRESS))
            .order_by(Migration.id.desc()).limit(1)).first()


def list_migrations(instance_uuid: str | None = None, status: str | None = None,
                    host: str | None = None) -> list[Migration]:
    query = sa.select(Migration).order_by(Migration.id.desc())
    if instance_uuid is not None:
        query = query.filter_by(instance_uuid=instance_uuid)
    if status is not None:
        query = query.filter_by(status=status)
    if host is not None:
        query = query.where(sa.or_(Migration.source_compute == host,
                                   Migration.dest_compute == host))
    with session.reader() as s:
        return list(s.scalars(query))


def to_dict(migration: Migration) -> dict[str, Any]:
    return {column.key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for column in Migration.__table__.columns
            for value in [getattr(migration, column.key)]}

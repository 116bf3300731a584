"""Compute quotas per project: stored limits over defaults the caller supplies."""
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import mysql, postgresql, sqlite

from common import context
from common.db import models, session

Quota = models.Quota
_INSERT_IGNORING_DUPLICATES = {
    "postgresql": lambda table: postgresql.insert(table).on_conflict_do_nothing(),
    "sqlite": lambda table: sqlite.insert(table).on_conflict_do_nothing(),
    "mysql": lambda table: mysql.insert(table).prefix_with("IGNORE"),
    "mariadb": lambda table: mysql.insert(table).prefix_with("IGNORE"),
}


# (database URL, project id) of the lock rows this process made or found: they are
# never deleted, so a project's later creates need no extra transaction.
_lock_rows: set[tuple[str, str]] = set()


def ensure_lock_row(ctxt: context.RequestContext, project_id: str) -> None:
    """Make the project's quota lock row exist, in a transaction of its own: creating it
    inside the transaction that locks it would deadlock the first parallel creates on
    MariaDB (each waiting to upgrade the shared lock its duplicate-key check took)."""
    key = (str(session.get_engine().url), project_id)
    if key in _lock_rows:
        return
    with session.transaction() as s:
        insert = _INSERT_IGNORING_DUPLICATES[s.get_bind().dialect.name](models.QuotaLock)
        s.execute(insert.values(project_id=project_id))
    _lock_rows.add(key)


def lock_project(s: orm.Session, project_id: str) -> None:
    """Hold the project's quota lock (``ensure_lock_row`` made it) until ``s`` ends: the
    creates of one project count and insert one after the other. (SQLite needs no row
    lock: every writer holds the database's write lock.)"""
    s.execute(sa.select(models.QuotaLock.project_id).where(
        models.QuotaLock.project_id == project_id).with_for_update())


def get_limits(ctxt: context.RequestContext, project_id: str,
               defaults: Mapping[str, int]) -> dict[str, int]:
    """{resource: hard limit} for a project: ``defaults`` overridden by stored limits."""
    with session.reader() as s:
        stored = dict(s.execute(sa.select(Quota.resource, Quota.hard_limit).where(
            Quota.project_id == project_id)).all())
    return {**defaults, **stored}


def set_limits(ctxt: context.RequestContext, project_id: str, limits: Mapping[str, int]) -> None:
    with session.transaction() as s:
        current = {row.resource: row for row in s.scalars(
            sa.select(Quota).filter_by(project_id=project_id))}
        for resource, limit in limits.items():
            if resource in current:
                current[resource].hard_limit = limit
            else:
                s.add(Quota(project_id=project_id, resource=resource, hard_limit=limit))


def delete_limits(ctxt: context.RequestContext, project_id: str) -> None:
    """Back to the defaults (os-quota-sets DELETE)."""
    with session.transaction() as s:
        s.execute(sa.delete(Quota).filter_by(project_id=project_id))

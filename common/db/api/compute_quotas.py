"""Compute quotas per project: stored limits over defaults the caller supplies."""
from collections.abc import Mapping

import sqlalchemy as sa

from common.db import models, session

Quota = models.Quota


def get_limits(project_id: str, defaults: Mapping[str, int]) -> dict[str, int]:
    """{resource: hard limit} for a project: ``defaults`` overridden by stored limits."""
    with session.transaction() as s:
        stored = dict(s.execute(sa.select(Quota.resource, Quota.hard_limit).where(
            Quota.project_id == project_id)).all())
    return {**defaults, **stored}


def set_limits(project_id: str, limits: Mapping[str, int]) -> None:
    with session.transaction() as s:
        current = {row.resource: row for row in s.scalars(
            sa.select(Quota).filter_by(project_id=project_id))}
        for resource, limit in limits.items():
            if resource in current:
                current[resource].hard_limit = limit
            else:
                s.add(Quota(project_id=project_id, resource=resource, hard_limit=limit))


def delete_limits(project_id: str) -> None:
    """Back to the defaults (os-quota-sets DELETE)."""
    with session.transaction() as s:
        s.execute(sa.delete(Quota).filter_by(project_id=project_id))

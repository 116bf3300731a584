"""Machinery shared by the networking domain functions (common/db/api/network*.py).

- ``retry_on_db_conflict``: the whole function runs again when the database refuses a
  commit because of a concurrent writer (unique constraint, deadlock, busy SQLite). The
  next attempt re-reads and re-validates, so a real conflict becomes the right 409 then.
- visibility and ownership checks of the request context;
- revision numbers, tags, and the SQL narrowing of every list.
"""
import contextvars
import datetime
import functools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import exceptions, policy
from common.db import models

RETRIES = 25
_attempt: contextvars.ContextVar[int] = contextvars.ContextVar("network_db_attempt",
                                                               default=0)
F = TypeVar("F", bound=Callable[..., Any])
# A create or update request's values, as services.api.network.schemas parsed its body.
Values = dict[str, Any]


# --- retries ---------------------------------------------------------------------------

def _retriable(error: sa_exc.DBAPIError) -> bool:
    """A unique violation or a lock conflict: the loser of a race. (Other integrity
    errors are bugs, and repeating them would only hide them.)"""
    text = str(error.orig).lower()
    args = error.orig.args if error.orig is not None else ()
    code = getattr(error.orig, "pgcode", None) or (args[:1] or [None])[0]
    if isinstance(error, sa_exc.IntegrityError):
        return "unique" in text or code in ("23505", 1062)
    return ("locked" in text or "busy" in text or "deadlock" in text
            or code in ("40001", "40P01", 1213, 1205))


def retry_on_db_conflict(func: F) -> F:
    """Run ``func`` again (up to RETRIES times) when a concurrent writer made it fail."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(RETRIES):
            token = _attempt.set(attempt)
            try:
                return func(*args, **kwargs)
            except (sa_exc.IntegrityError, sa_exc.OperationalError) as error:
                if not _retriable(error):
                    raise
                if attempt == RETRIES - 1:
                    raise exceptions.Conflict("The request conflicted with concurrent "
                                              "changes; try again.") from error
                # Jitter, so the threads that collided do not collide again in step.
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
            finally:
                _attempt.reset(token)
        raise AssertionError("unreachable")

    return wrapper  # type: ignore[return-value]


def current_attempt() -> int:
    """0 on the first run of a retried function, then 1, 2, ... (the IPAM spreads out)."""
    return _attempt.get()


# --- errors ----------------------------------------------------------------------------

def invalid(message: str) -> exceptions.InvalidInput:
    return exceptions.InvalidInput(error_message=message)


# --- who may see and change what -------------------------------------------------------

def is_admin(ctxt: Any) -> bool:
    return bool(getattr(ctxt, "is_admin", False))


def owner_of_new(ctxt: Any, values: dict[str, Any]) -> str:
    """The project a new resource belongs to (``project_id``/``tenant_id`` of the values,
    taken out of them); policy.owner_project decides who may name another one."""
    requested = values.pop("project_id", None) or values.pop("tenant_id", None)
    values.pop("tenant_id", None)
    return policy.owner_project(ctxt, requested) or ""


def owns(ctxt: Any, obj: Any) -> bool:
    """What a caller sees of a project's resources: the scope every query narrows to (in
    SQL for lists); changing what one sees is then policy.authorize_owner's decision."""
    return is_admin(ctxt) or obj.project_id == ctxt.project_id


def bump(*objs: Any) -> None:
    """A new revision: every change of a resource (or of its parts) bumps it."""
    for obj in objs:
        obj.revision_number = (obj.revision_number or 0) + 1
        obj.updated_at = _utcnow()


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def isotime(value: datetime.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


# --- tags ------------------------------------------------------------------------------

def tags_of(s: orm.Session, ids: Iterable[str]) -> dict[str, list[str]]:
    """Tags of many resources in one query."""
    ids = list(ids)
    tags: dict[str, list[str]] = {resource_id: [] for resource_id in ids}
    if ids:
        query = sa.select(models.NetworkTag).where(models.NetworkTag.resource_id.in_(ids))
        for row in s.scalars(query.order_by(models.NetworkTag.tag)):
            tags[row.resource_id].append(row.tag)
    return tags


def delete_tags(s: orm.Session, resource_id: str) -> None:
    s.execute(sa.delete(models.NetworkTag).where(models.NetworkTag.resource_id == resource_id))


# --- lists ----------------------------------------------------------------------------

Filters = dict[str, Sequence[str]]


def sql_filters(query: sa.Select, filters: Filters | None,
                columns: dict[str, Any]) -> sa.Select:
    """Narrow ``query`` in SQL by the filters that are plain string columns.

    The network API filters the rendered resources again by every filter
    (services.api.network.query.select), so SQL filtering is only an optimisation.
    """
    for key, values in (filters or {}).items():
        if key in columns and values:
            query = query.where(columns[key].in_(list(values)))
    return query

"""Marker/limit paging of a select, shared by every list query."""
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions


def page(s: orm.Session, query: sa.Select, model: type, limit: int | None,
         marker: str | None, key: str = "id") -> list:
    """Rows of ``query`` ordered by ``key``, after the row whose ``key`` is ``marker``.

    An unknown marker is a 400, as in Nova and Neutron: the client paged with an id
    that no longer exists and has to start over.
    """
    column = getattr(model, key)
    if marker is not None:
        if s.scalar(sa.select(sa.func.count()).where(column == marker)) == 0:
            raise exceptions.BadRequest(f"Marker {marker} could not be found.")
        query = query.where(column > marker)
    query = query.order_by(column)
    if limit is not None:
        query = query.limit(limit)
    return list(s.scalars(query))


def sorted_after(query: sa.Select, model: type, pairs: list[tuple[str, str]],
                 marker: Any | None) -> sa.Select:
    """``query`` ordered by (column name, "asc"/"desc") ``pairs``, keeping only rows
    after the ``marker`` row in that order (keyset paging on several keys).

    The last pair should be a unique column so the order is total. A NULL counts as
    the smallest value (as SQLite and MariaDB sort it).
    """
    order = []
    for key, direction in pairs:
        column = getattr(model, key)
        order.append(column.asc() if direction == "asc" else column.desc())
    query = query.order_by(*order)
    if marker is None:
        return query
    # (k1 > m1) OR (k1 = m1 AND k2 > m2) OR ... with > flipped for descending keys.
    ors = []
    for index, (key, direction) in enumerate(pairs):
        equal = [_equal(getattr(model, k), getattr(marker, k)) for k, _d in pairs[:index]]
        ors.append(sa.and_(*equal, _after(getattr(model, key), getattr(marker, key),
                                          direction)))
    return query.where(sa.or_(*ors))


def _equal(column: sa.ColumnElement, value: Any) -> sa.ColumnElement:
    return column.is_(None) if value is None else column == value


def _after(column: sa.ColumnElement, value: Any, direction: str) -> sa.ColumnElement:
    if value is None:
        return column.is_not(None) if direction == "asc" else sa.false()
    if direction == "asc":
        return column > value
    return sa.or_(column < value, column.is_(None))

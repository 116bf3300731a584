"""Sorted marker/limit paging of the DNS lists (Designate's sort_key and sort_dir).

Rows are ordered by the sort key, then by id, so a marker (the id of the last row of
the previous page) always names one place in the order. Sort keys are columns that are
never null: the marker comparison needs a value to compare with.
"""
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions

DIRECTIONS = ("asc", "desc")


def page(s: orm.Session, query: sa.Select, model: Any, limit: int | None,
         marker: str | None, sort_key: str = "id", sort_dir: str = "asc") -> list:
    """Rows of ``query`` in ``sort_key``/``sort_dir`` order, after the row ``marker``."""
    if sort_dir not in DIRECTIONS:
        raise exceptions.InvalidSortDir(f"Invalid sort direction {sort_dir!r}.")
    column, ident = getattr(model, sort_key), model.id
    ascending = sort_dir == "asc"
    if marker is not None:
        row = s.get(model, marker)
        if row is None:
            raise exceptions.InvalidMarker(f"Marker {marker} could not be found.")
        value = getattr(row, sort_key)
        after = column > value if ascending else column < value
        tie = ident > marker if ascending else ident < marker
        query = query.where(sa.or_(after, sa.and_(column == value, tie)))
    direction = sa.asc if ascending else sa.desc
    query = query.order_by(direction(column), direction(ident))
    if limit is not None:
        query = query.limit(limit)
    return list(s.scalars(query))

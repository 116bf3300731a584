"""Marker/limit paging of a select, shared by every list query."""
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

"""Designate's list filters: ``?name=www.*`` is a wildcard match, anything else exact."""
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from common import exceptions


def matches(column: Any, value: object) -> sa.ColumnElement:
    """``column == value``, or a LIKE when a string value holds ``*`` wildcards."""
    if not isinstance(value, str) or "*" not in value:
        return column == value
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped.replace("*", "%"), escape="\\")


def apply(query: sa.Select, model: type, filters: Mapping[str, object] | None,
          allowed: tuple[str, ...]) -> sa.Select:
    """``query`` narrowed by ``filters`` on the ``allowed`` columns of ``model``."""
    for key, value in (filters or {}).items():
        if key not in allowed:
            raise exceptions.InvalidObject(f"Unknown filter {key!r}.")
        query = query.where(matches(getattr(model, key), value))
    return query

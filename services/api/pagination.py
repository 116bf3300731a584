"""Paging of list requests: ``limit`` and ``marker`` in, a ``next`` link out."""
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import falcon

from common import exceptions
from common.config import CONF
from services.api import urls


def params(req: falcon.Request) -> tuple[int, str | None]:
    """(limit, marker) of the request; the limit is capped at ``[api] max_limit``."""
    raw = req.get_param("limit")
    limit = CONF.api.max_limit
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise exceptions.BadRequest(f"Invalid limit {raw!r}: an integer is "
                                        "expected.") from None
        if limit < 0:
            raise exceptions.BadRequest("limit must be zero or more.")
        limit = min(limit, CONF.api.max_limit)
    return limit, req.get_param("marker") or None


def next_link(req: falcon.Request, items: Sequence[Any], limit: int,
              key: str = "id") -> str | None:
    """The URL of the next page, or None when this page is the last."""
    if not items or len(items) < limit:
        return None
    last = items[-1]
    marker = last[key] if isinstance(last, dict) else getattr(last, key)
    query = [(k, v) for k, v in _query_items(req) if k != "marker"] + [("marker", marker)]
    return f"{urls.base()}{req.path}?{urlencode(query)}"


def self_link(req: falcon.Request) -> str:
    query = urlencode(_query_items(req))
    return f"{urls.base()}{req.path}" + (f"?{query}" if query else "")


def _query_items(req: falcon.Request) -> list[tuple[str, str]]:
    items = []
    for key, value in req.params.items():
        for one in value if isinstance(value, list) else [value]:
            items.append((key, one))
    return items

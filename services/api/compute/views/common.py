"""Pieces every compute view uses: Nova's self/bookmark links, timestamps, paging
links."""
import datetime
from typing import Any
from urllib.parse import urlencode

import falcon

from services.api import urls


def links(collection: str, item_id: str) -> list[dict[str, str]]:
    return [{"rel": "self", "href": urls.url("compute", "v2.1", collection, item_id)},
            bookmark(collection, item_id)]


def bookmark(collection: str, item_id: str) -> dict[str, str]:
    return {"rel": "bookmark", "href": urls.url("compute", collection, item_id)}


def zulu(value: datetime.datetime | None) -> str | None:
    """Nova's server timestamps: 2026-11-23T03:00:00Z."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def iso(value: datetime.datetime | None) -> str | None:
    """Nova's other timestamps: 2026-11-23T03:00:00.000000 (naive UTC)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value is not None else None


def next_links(req: falcon.Request, items: list[Any], limit: int | None, key: str,
               marker_of: Any = None) -> list[dict[str, str]]:
    """Nova's ``<collection>_links``: a "next" link when the page is full."""
    if not items or limit is None or len(items) < limit:
        return []
    last = items[-1]
    marker = marker_of(last) if marker_of else last[key]
    query = [(k, v) for k, values in req.params.items() if k != "marker"
             for v in (values if isinstance(values, list) else [values])]
    href = f"{urls.base()}{req.path}?{urlencode([*query, ('marker', marker)])}"
    return [{"rel": "next", "href": href}]

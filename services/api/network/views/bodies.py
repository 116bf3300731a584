"""The envelopes of Neutron responses: ``{"<singular>": {...}}`` for one resource,
``{"<plural>": [...], "<plural>_links": [...]}`` for a page, each resource narrowed to
the requested ``fields``. The resources themselves come ready from the domain functions."""
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import falcon

from services.api import urls
from services.api.network.query import ListQuery


def narrow(item: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """Only the requested fields (all when none are); unknown names are ignored."""
    if not fields:
        return item
    return {key: item[key] for key in dict.fromkeys(fields) if key in item}


def one(singular: str, item: dict[str, Any], fields: Sequence[str] = ()) -> dict[str, Any]:
    return {singular: narrow(item, fields)}


def many(plural: str, items: list[dict[str, Any]], fields: Sequence[str] = ()) -> dict:
    return {plural: [narrow(item, fields) for item in items]}


def page(req: falcon.Request, plural: str, items: list[dict[str, Any]],
         query: ListQuery) -> dict[str, Any]:
    """A list response; with ``limit``, the ``<plural>_links`` to the next and previous
    pages as Neutron's pagination extension gives them."""
    body = many(plural, items, query.fields)
    links = _links(req, items, query)
    if links:
        body[f"{plural}_links"] = links
    return body


def _links(req: falcon.Request, items: list[dict[str, Any]],
           query: ListQuery) -> list[dict[str, str]]:
    if query.limit is None or not items:
        return []
    links = []
    if len(items) >= query.limit:
        edge = items[0] if query.page_reverse else items[-1]
        links.append({"rel": "next", "href": _href(req, edge["id"], query.page_reverse)})
    if query.marker is not None:
        edge = items[-1] if query.page_reverse else items[0]
        links.append({"rel": "previous",
                      "href": _href(req, edge["id"], not query.page_reverse)})
    return links


def _href(req: falcon.Request, marker: str, reverse: bool) -> str:
    kept = [(key, value) for key, value in _params(req)
            if key not in ("marker", "page_reverse")]
    kept.append(("marker", marker))
    if reverse:
        kept.append(("page_reverse", "True"))
    return f"{urls.base()}{req.path}?{urlencode(kept)}"


def _params(req: falcon.Request) -> list[tuple[str, str]]:
    return [(key, one_value) for key, value in req.params.items()
            for one_value in (value if isinstance(value, list) else [value])]

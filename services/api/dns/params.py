"""Request input of the DNS API, checked the way Designate reports it.

Path ids must be UUIDs (400 invalid_uuid); list requests take limit, marker, sort_key,
sort_dir and per-resource filters; bodies are JSON objects (400 bad_request otherwise)
checked against a schema (400 invalid_object).
"""
import uuid
from dataclasses import dataclass
from typing import Any

import falcon

from common import exceptions
from common.config import CONF
from services.api import body, handlers


def uuid_param(name: str, value: str) -> str:
    """``value`` if it is a UUID in its canonical text form."""
    try:
        if str(uuid.UUID(value)) == value.lower():
            return value
    except ValueError:
        pass
    raise exceptions.InvalidUUID(name=name, value=value)


@dataclass(frozen=True)
class ListParams:
    limit: int
    marker: str | None
    sort_key: str
    sort_dir: str
    filters: dict[str, object]


def list_params(req: falcon.Request, filters: tuple[str, ...] = (),
                int_filters: tuple[str, ...] = ("ttl",)) -> ListParams:
    """Paging, sorting and the ``filters`` present in the query string.

    Name filters are matched lower case, as names are stored; ``int_filters`` must be
    integers.
    """
    limit = _limit(handlers.query(req, "limit"))
    marker = handlers.query(req, "marker") or None
    if marker is not None:
        uuid_param("marker", marker)
    sort_dir = handlers.query(req, "sort_dir") or "asc"
    if sort_dir not in ("asc", "desc"):
        raise exceptions.InvalidSortDir(f"Invalid sort direction {sort_dir!r}: "
                                        "expected asc or desc.")
    sort_key = handlers.query(req, "sort_key") or "id"
    sort_key = "project_id" if sort_key == "tenant_id" else sort_key
    found: dict[str, object] = {}
    for key in filters:
        value = handlers.query(req, key)
        if value is None:
            continue
        found[key] = _int_filter(key, value) if key in int_filters else value
    name = found.get("name")
    if isinstance(name, str):
        found["name"] = name.lower()
    return ListParams(limit, marker, sort_key, sort_dir, found)


def _limit(raw: str | None) -> int:
    if raw is None:
        return CONF.api.max_limit
    try:
        limit = int(raw)
    except ValueError:
        raise exceptions.InvalidLimit(f"Invalid limit {raw!r}: an integer is "
                                      "expected.") from None
    if limit < 1:
        raise exceptions.InvalidLimit("limit must be greater than zero.")
    return min(limit, CONF.api.max_limit)


def _int_filter(key: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise exceptions.InvalidObject(f"Filter {key} must be an integer.") from None


def json_object(req: falcon.Request, schema: dict) -> dict[str, Any]:
    """The body as a JSON object valid against ``schema``."""
    data = body.json_body(req)
    if not isinstance(data, dict):
        raise exceptions.DNSBadRequest("The request body must be a JSON object.")
    try:
        body.validate(data, schema)
    except exceptions.BadRequest as error:
        raise exceptions.InvalidObject(error.msg) from None
    return data

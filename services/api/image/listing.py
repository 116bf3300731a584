"""Query parameters of GET /v2/images: Glance's filters, sorting and paging."""
import datetime
from typing import Any
from urllib.parse import urlencode

import falcon

from common import exceptions
from common.config import CONF
from common.db.api import images as images_db

_PAGING = ("limit", "marker", "sort_key", "sort_dir", "sort")
# Filters that take Glance's "in:a,b" operator (any of).
_IN_FILTERS = ("id", "name", "status", "disk_format", "container_format")
_BOOL_FILTERS = ("protected", "os_hidden")
_INT_FILTERS = ("size_min", "size_max", "min_disk", "min_ram")
_TIME_FILTERS = ("created_at", "updated_at")
_EXACT = ("owner", "checksum", "os_hash_value")


def _values(req: falcon.Request, name: str) -> list[str]:
    value = req.params.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _one(req: falcon.Request, name: str) -> str:
    return _values(req, name)[-1]


def _int(name: str, value: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError:
        raise exceptions.BadRequest(f"{name} param must be an integer") from None
    if number < minimum:
        raise exceptions.BadRequest(f"{name} param must be positive")
    return number


def _bool(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise exceptions.BadRequest(f"Invalid value for {name}: {value}. It must be "
                                    "'true' or 'false'.")
    return lowered == "true"


def _time(name: str, value: str) -> tuple[str, datetime.datetime]:
    operator, _sep, moment = value.partition(":")
    if operator not in ("eq", "neq", "gt", "gte", "lt", "lte") or not moment:
        raise exceptions.BadRequest(f"Invalid {name} filter {value}: expected "
                                    "<operator>:<ISO 8601 time>.")
    try:
        parsed = datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        raise exceptions.BadRequest(f"Invalid time format for {name}.") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return operator, parsed


def filters(req: falcon.Request) -> dict[str, Any]:
    found: dict[str, Any] = {"properties": {}}
    for name in req.params:
        if name in _PAGING:
            continue
        value = _one(req, name)
        if name in _IN_FILTERS:
            found[name] = value[3:].split(",") if value.startswith("in:") else value
        elif name == "visibility":
            if value not in (*images_db.VISIBILITIES, "all"):
                raise exceptions.BadRequest(f"Invalid visibility value: {value}")
            found[name] = value
        elif name == "member_status":
            if value not in (*images_db.MEMBER_STATUSES, "all"):
                raise exceptions.BadRequest(f"Invalid status value: {value}")
            found[name] = value
        elif name == "tag":
            found["tag"] = _values(req, name)
        elif name in _BOOL_FILTERS:
            found[name] = _bool(name, value)
        elif name in _INT_FILTERS:
            found[name] = _int(name, value)
        elif name in _TIME_FILTERS:
            found[name] = _time(name, value)
        elif name in _EXACT:
            found[name] = value
        else:
            found["properties"][name] = value
    return found


def limit_and_marker(req: falcon.Request) -> tuple[int, str | None]:
    limit = CONF.image.limit_param_default
    if "limit" in req.params:
        limit = _int("limit", _one(req, "limit"))
    marker = _one(req, "marker") if "marker" in req.params else None
    return min(limit, CONF.image.api_limit_max), marker


def sort(req: falcon.Request) -> list[tuple[str, str]]:
    """[(key, dir)] from ``sort=k1:dir,k2`` or repeated ``sort_key``/``sort_dir``."""
    if "sort" in req.params:
        if "sort_key" in req.params or "sort_dir" in req.params:
            raise exceptions.BadRequest("The sort param cannot be combined with "
                                        "sort_key or sort_dir.")
        pairs = []
        for item in _one(req, "sort").split(","):
            key, _sep, direction = item.strip().partition(":")
            pairs.append((key, direction or "desc"))
    else:
        keys = _values(req, "sort_key") or ["created_at"]
        dirs = _values(req, "sort_dir") or ["desc"]
        if len(dirs) > 1 and len(dirs) != len(keys):
            raise exceptions.BadRequest("Number of sort dirs does not match the number "
                                        "of sort keys.")
        pairs = [(key, dirs[i] if len(dirs) > 1 else dirs[0]) for i, key in enumerate(keys)]
    for key, direction in pairs:
        if key not in images_db.SORT_KEYS:
            raise exceptions.BadRequest(f"Invalid sort key: {key}. It should be one of "
                                        f"the following: {', '.join(images_db.SORT_KEYS)}.")
        if direction not in ("asc", "desc"):
            raise exceptions.BadRequest(f"Invalid sort direction: {direction}")
    return pairs


def page_links(req: falcon.Request, rows: list, limit: int) -> tuple[str, str | None]:
    """Glance's ``first`` and ``next``: relative /v2/images links keeping the query."""
    query = [(k, v) for k in req.params if k != "marker" for v in _values(req, k)]
    first = "/v2/images" + (f"?{urlencode(query)}" if query else "")
    if not rows or len(rows) < limit:
        return first, None
    with_limit = [(k, v) for k, v in query if k != "limit"] + [("limit", str(limit))]
    return first, "/v2/images?" + urlencode([*with_limit, ("marker", rows[-1].id)])

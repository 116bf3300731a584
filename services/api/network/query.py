"""The query string of Neutron's list and show requests: filters on any attribute
(repeated values are ORed), ``fields``, ``sort_key``/``sort_dir``, and paging with
``limit``, ``marker`` and ``page_reverse``."""
import functools
from dataclasses import dataclass, field
from typing import Any

import falcon

from common import exceptions
from common.config import CONF

PAGING = ("limit", "marker", "page_reverse")
RESERVED = frozenset({"fields", "sort_key", "sort_dir", *PAGING})
_DIRECTIONS = {"asc": True, "desc": False}


@dataclass(frozen=True)
class ListQuery:
    filters: dict[str, list[str]] = field(default_factory=dict)
    sorts: list[tuple[str, bool]] = field(default_factory=list)  # (key, ascending)
    limit: int | None = None
    marker: str | None = None
    page_reverse: bool = False
    fields: list[str] = field(default_factory=list)



def values(req: falcon.Request, name: str) -> list[str]:
    """Every value of a (possibly repeated) query parameter, empty ones dropped."""
    value = req.params.get(name)
    if value is None:
        return []
    return [one for one in (value if isinstance(value, list) else [value]) if one != ""]


def fields(req: falcon.Request) -> list[str]:
    return values(req, "fields")


def parse(req: falcon.Request) -> ListQuery:
    filters = {name: values(req, name) for name in req.params if name not in RESERVED}
    return ListQuery(
        filters={name: found for name, found in filters.items() if found},
        sorts=_sorts(req), limit=_limit(req), marker=_last(req, "marker"),
        page_reverse=(_last(req, "page_reverse") or "").lower() in ("true", "1"),
        fields=fields(req))


def _last(req: falcon.Request, name: str) -> str | None:
    found = values(req, name)
    return found[-1] if found else None


def _sorts(req: falcon.Request) -> list[tuple[str, bool]]:
    keys, directions = values(req, "sort_key"), values(req, "sort_dir")
    if directions and len(directions) != len(keys):
        raise exceptions.BadRequest("The number of sort_keys and sort_dirs must be same.")
    for direction in directions:
        if direction not in _DIRECTIONS:
            raise exceptions.BadRequest(f"{direction} is an invalid value for sort_dir, "
                                        f"valid values are {sorted(_DIRECTIONS)}.")
    ascending = [_DIRECTIONS[d] for d in directions] or [True] * len(keys)
    return list(zip(keys, ascending, strict=True))


def _limit(req: falcon.Request) -> int | None:
    """None (everything) when absent or 0, as in Neutron; capped at [api] max_limit."""
    raw = _last(req, "limit")
    if raw is None:
        return None
    try:
        limit = int(raw)
    except ValueError:
        raise exceptions.BadRequest(f"Bad limit request: Limit must be an integer 0 or "
                                    f"greater and not '{raw}'.") from None
    if limit < 0:
        raise exceptions.BadRequest(f"Bad limit request: Limit must be an integer 0 or "
                                    f"greater and not '{raw}'.")
    return min(limit, CONF.api.max_limit) or None


# --- selecting a page of rendered resources ------------------------------------------

def select(items: list[dict], query: ListQuery) -> list[dict]:
    """Neutron's list semantics on rendered resources: filters (repeated values are ORed,
    tags/tags-any/not-tags/not-tags-any, fixed_ips=ip_address=...), sort keys with
    directions (ascending when True), then a page after ``marker``."""
    selected = [item for item in items if _matches(item, query.filters)]
    for key, ascending in reversed(query.sorts or [("id", True)]):
        selected.sort(key=functools.partial(_item_sort_key, key), reverse=not ascending)
    if query.page_reverse:
        selected.reverse()
    if query.marker is not None:
        ids = [item["id"] for item in selected]
        if query.marker not in ids:
            raise exceptions.BadRequest(f"Marker {query.marker} could not be found.")
        selected = selected[ids.index(query.marker) + 1:]
    if query.limit:
        selected = selected[:query.limit]
    if query.page_reverse:
        selected.reverse()
    return selected


def _sort_key(value: Any) -> tuple:
    return (value is not None, str(value) if isinstance(value, (list, dict)) else value)


def _item_sort_key(key: str, item: dict) -> tuple:
    return _sort_key(item.get(key))


def _split(values: list[str]) -> list[str]:
    return [part for value in values for part in str(value).split(",") if part]


def _matches(item: dict, filters: dict[str, list[str]]) -> bool:
    for key, values in filters.items():
        values = list(values)
        tags = item.get("tags", [])
        if key == "tags":
            ok = all(tag in tags for tag in _split(values))
        elif key == "tags-any":
            ok = any(tag in tags for tag in _split(values))
        elif key == "not-tags":
            ok = not all(tag in tags for tag in _split(values))
        elif key == "not-tags-any":
            ok = not any(tag in tags for tag in _split(values))
        elif key == "fixed_ips" and "fixed_ips" in item:
            ok = _fixed_ips_match(item["fixed_ips"], values)
        elif key not in item:
            continue  # not an attribute of this resource: ignored, as Neutron does
        else:
            ok = _value_matches(item[key], values)
        if not ok:
            return False
    return True


def _value_matches(actual: Any, wanted: list[str]) -> bool:
    if isinstance(actual, list):
        return any(_value_matches(one, wanted) for one in actual)
    if isinstance(actual, bool):
        return any(str(value).lower() in (str(actual).lower(), str(int(actual)))
                   for value in wanted)
    if actual is None:
        return any(value in ("", None, "None", "null") for value in wanted)
    return str(actual) in [str(value) for value in wanted]


def _fixed_ips_match(fixed_ips: list[dict], wanted: list[str]) -> bool:
    for condition in wanted:
        key, _, value = str(condition).partition("=")
        if key == "ip_address_substr":
            found = any(value in ip["ip_address"] for ip in fixed_ips)
        else:
            found = any(str(ip.get(key)) == value for ip in fixed_ips)
        if not found:
            return False
    return True

"""The query string of Neutron's list and show requests: filters on any attribute
(repeated values are ORed), ``fields``, ``sort_key``/``sort_dir``, and paging with
``limit``, ``marker`` and ``page_reverse``."""
from dataclasses import dataclass, field

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

    def page(self) -> dict:
        """Keyword arguments of the domain functions' list_* calls."""
        return {"filters": self.filters, "sorts": self.sorts or None, "limit": self.limit,
                "marker": self.marker, "page_reverse": self.page_reverse}


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

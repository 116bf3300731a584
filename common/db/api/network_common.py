"""Machinery shared by the networking domain functions (common/db/api/network*.py).

- ``retry_on_db_conflict``: the whole function runs again when the database refuses a
  commit because of a concurrent writer (unique constraint, deadlock, busy SQLite). The
  next attempt re-reads and re-validates, so a real conflict becomes the right 409 then.
- request body validation against a small attribute table per resource (``Attr``);
- visibility and ownership checks of the request context;
- revision numbers, tags, and the filter/sort/page of every list.
"""
import contextvars
import datetime
import functools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import netaddr
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import exceptions
from common.db import models

RETRIES = 25
_attempt: contextvars.ContextVar[int] = contextvars.ContextVar("network_db_attempt",
                                                               default=0)
F = TypeVar("F", bound=Callable[..., Any])


# --- retries ---------------------------------------------------------------------------

def _retriable(error: sa_exc.DBAPIError) -> bool:
    """A unique violation or a lock conflict: the loser of a race. (Other integrity
    errors are bugs, and repeating them would only hide them.)"""
    text = str(error.orig).lower()
    args = error.orig.args if error.orig is not None else ()
    code = getattr(error.orig, "pgcode", None) or (args[:1] or [None])[0]
    if isinstance(error, sa_exc.IntegrityError):
        return "unique" in text or code in ("23505", 1062)
    return ("locked" in text or "busy" in text or "deadlock" in text
            or code in ("40001", "40P01", 1213, 1205))


def retry_on_db_conflict(func: F) -> F:
    """Run ``func`` again (up to RETRIES times) when a concurrent writer made it fail."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(RETRIES):
            token = _attempt.set(attempt)
            try:
                return func(*args, **kwargs)
            except (sa_exc.IntegrityError, sa_exc.OperationalError) as error:
                if not _retriable(error):
                    raise
                if attempt == RETRIES - 1:
                    raise exceptions.Conflict("The request conflicted with concurrent "
                                              "changes; try again.") from error
                # Jitter, so the threads that collided do not collide again in step.
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
            finally:
                _attempt.reset(token)
        raise AssertionError("unreachable")

    return wrapper  # type: ignore[return-value]


def current_attempt() -> int:
    """0 on the first run of a retried function, then 1, 2, ... (the IPAM spreads out)."""
    return _attempt.get()


# --- request bodies --------------------------------------------------------------------

@dataclass(frozen=True)
class Attr:
    """One attribute of a resource body: how to convert it and when it may be sent."""

    convert: Callable[[Any], Any]
    post: bool = True
    put: bool = True
    admin_only: bool = False


def parse_body(ctxt: Any, body: Any, attrs: dict[str, Attr], create: bool) -> dict[str, Any]:
    """Validated, converted values of ``body``; unknown or read-only keys are a 400."""
    if not isinstance(body, dict):
        raise exceptions.InvalidInput(error_message="the body must be an object")
    unknown = sorted(set(body) - set(attrs))
    if unknown:
        raise exceptions.InvalidInput(
            error_message=f"Unrecognized attribute(s) '{', '.join(unknown)}'")
    values = {}
    for key, value in body.items():
        attr = attrs[key]
        if not (attr.post if create else attr.put):
            raise exceptions.InvalidInput(
                error_message=f"Cannot {'set' if create else 'update'} read-only "
                              f"attribute {key}")
        if attr.admin_only and not is_admin(ctxt):
            raise exceptions.Forbidden(f"Setting {key} is not allowed.")
        values[key] = attr.convert(value)
    return values


def invalid(message: str) -> exceptions.InvalidInput:
    return exceptions.InvalidInput(error_message=message)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise invalid(f"'{value}' cannot be converted to boolean")


def to_str(max_len: int = 255) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise invalid(f"'{value}' is not a valid string")
        if len(value) > max_len:
            raise invalid(f"'{value}' exceeds maximum length of {max_len}")
        return value
    return convert


def to_int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"'{value}' is not an integer") from None


def to_ip(value: Any) -> str:
    try:
        return str(netaddr.IPAddress(value))
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is not a valid IP address") from None


def to_ip_or_none(value: Any) -> str | None:
    return None if value is None else to_ip(value)


def to_cidr(value: Any) -> str:
    """A network in canonical form; host bits set are a 400 (naming the right form)."""
    try:
        net = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is not a valid IP subnet") from None
    if str(net.cidr) != str(net) or "/" not in str(value):
        raise invalid(f"'{value}' isn't a recognized IP subnet cidr, '{net.cidr}' is "
                      "recommended")
    return str(net.cidr)


def to_ip_or_cidr(value: Any) -> str:
    """An address or a network ('10.0.0.5' or '10.0.0.0/24'), as stored for prefixes."""
    try:
        net = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is neither a valid IP address nor a CIDR") from None
    return str(net.cidr) if "/" in str(value) else str(net.ip)


def to_list(convert: Callable[[Any], Any]) -> Callable[[Any], list]:
    def convert_all(value: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise invalid(f"'{value}' is not a list")
        return [convert(item) for item in value]
    return convert_all


def to_dict(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(f"'{value}' is not a dictionary")
    return value


def one_of(*choices: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value not in choices:
            raise invalid(f"'{value}' is not in {list(choices)}")
        return value
    return convert


# --- who may see and change what -------------------------------------------------------

def is_admin(ctxt: Any) -> bool:
    return bool(getattr(ctxt, "is_admin", False))


def owner_of_new(ctxt: Any, values: dict[str, Any]) -> str:
    """The project a new resource belongs to: the caller's, or any one for an admin."""
    project_id = values.pop("project_id", None) or values.pop("tenant_id", None)
    values.pop("tenant_id", None)
    if project_id and project_id != ctxt.project_id and not is_admin(ctxt):
        raise exceptions.Forbidden("Only an admin can create resources of another project.")
    return project_id or ctxt.project_id or ""


def owns(ctxt: Any, obj: Any) -> bool:
    return is_admin(ctxt) or obj.project_id == ctxt.project_id


def check_owner(ctxt: Any, obj: Any) -> None:
    """Changing a resource one may see (a shared network) but not own is a 403."""
    if not owns(ctxt, obj):
        raise exceptions.Forbidden("The resource belongs to another project.")


def bump(*objs: Any) -> None:
    """A new revision: every change of a resource (or of its parts) bumps it."""
    for obj in objs:
        obj.revision_number = (obj.revision_number or 0) + 1
        obj.updated_at = _utcnow()


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def isotime(value: datetime.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


# --- tags ------------------------------------------------------------------------------

def tags_of(s: orm.Session, ids: Iterable[str]) -> dict[str, list[str]]:
    """Tags of many resources in one query."""
    ids = list(ids)
    tags: dict[str, list[str]] = {resource_id: [] for resource_id in ids}
    if ids:
        query = sa.select(models.NetworkTag).where(models.NetworkTag.resource_id.in_(ids))
        for row in s.scalars(query.order_by(models.NetworkTag.tag)):
            tags[row.resource_id].append(row.tag)
    return tags


def delete_tags(s: orm.Session, resource_id: str) -> None:
    s.execute(sa.delete(models.NetworkTag).where(models.NetworkTag.resource_id == resource_id))


# --- lists ----------------------------------------------------------------------------

Filters = dict[str, Sequence[str]]


def sql_filters(query: sa.Select, filters: Filters | None,
                columns: dict[str, Any]) -> sa.Select:
    """Narrow ``query`` in SQL by the filters that are plain string columns.

    The rest is filtered on the rendered dicts by ``select_page``, which checks these
    again (harmless), so SQL filtering is only an optimisation.
    """
    for key, values in (filters or {}).items():
        if key in columns and values:
            query = query.where(columns[key].in_(list(values)))
    return query


def select_page(items: list[dict], filters: Filters | None = None,
                sorts: Sequence[tuple[str, bool]] | None = None, limit: int | None = None,
                marker: str | None = None, page_reverse: bool = False) -> list[dict]:
    """Neutron's list semantics on rendered resources: filters (repeated values are ORed,
    tags/tags-any/not-tags/not-tags-any, fixed_ips=ip_address=...), sort keys with
    directions (ascending when True), then a page after ``marker``."""
    selected = [item for item in items if _matches(item, filters or {})]
    for key, ascending in reversed(list(sorts or [("id", True)])):
        selected.sort(key=functools.partial(_item_sort_key, key), reverse=not ascending)
    if page_reverse:
        selected.reverse()
    if marker is not None:
        ids = [item["id"] for item in selected]
        if marker not in ids:
            raise exceptions.BadRequest(f"Marker {marker} could not be found.")
        selected = selected[ids.index(marker) + 1:]
    if limit:
        selected = selected[:limit]
    if page_reverse:
        selected.reverse()
    return selected


def _sort_key(value: Any) -> tuple:
    return (value is not None, str(value) if isinstance(value, (list, dict)) else value)


def _item_sort_key(key: str, item: dict) -> tuple:
    return _sort_key(item.get(key))


def _split(values: Sequence[str]) -> list[str]:
    return [part for value in values for part in str(value).split(",") if part]


def _matches(item: dict, filters: Filters) -> bool:
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

"""Response shapes of the DNS API: one module per resource, shared bits here."""
import datetime
from typing import Any

from services.api import urls


def link(*parts: str) -> dict[str, str]:
    """``{"self": <url of /dns/v2/parts...>}``."""
    return {"self": urls.url("dns", "v2", *parts)}


def timestamp(value: datetime.datetime | None) -> str | None:
    """Designate's form: ``2014-03-11T21:54:57.000000`` (naive UTC, microseconds)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value is not None else None


def collection(key: str, items: list[dict], self_url: str, next_url: str | None,
               total: int) -> dict[str, Any]:
    """A list body; ``links.next`` only when there is a next page (designateclient takes
    the mere key for "more to fetch")."""
    links = {"self": self_url}
    if next_url is not None:
        links["next"] = next_url
    return {key: items, "links": links, "metadata": {"total_count": total}}

"""Bodies of TLDs."""
from typing import Any

from common.db.api.dns_tlds import TldRecord
from services.api.dns.views import link, timestamp


def tld(row: TldRecord) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "description": row.description,
            "created_at": timestamp(row.created_at), "updated_at": timestamp(row.updated_at),
            "links": link("tlds", row.id)}

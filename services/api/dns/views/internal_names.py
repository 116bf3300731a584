"""Bodies of internal names (Strato's extension)."""
from typing import Any

from common.db.api.dns_internal import InternalNameRecord
from services.api.dns.views import link, timestamp


def internal_name(row: InternalNameRecord) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "network_id": row.network_id,
            "addresses": list(row.addresses), "description": row.description,
            "created_at": timestamp(row.created_at), "updated_at": timestamp(row.updated_at),
            "links": link("strato", "internal_names", row.id)}

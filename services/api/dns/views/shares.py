"""Bodies of zone shares."""
from typing import Any

from common.db.api.dns_shares import ShareRecord
from services.api.dns.views import link, timestamp


def share(row: ShareRecord) -> dict[str, Any]:
    return {"id": row.id, "zone_id": row.zone_id, "project_id": row.project_id,
            "target_project_id": row.target_project_id,
            "created_at": timestamp(row.created_at), "updated_at": timestamp(row.updated_at),
            "links": link("zones", row.zone_id, "shares", row.id)}

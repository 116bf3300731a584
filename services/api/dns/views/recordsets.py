"""Bodies of recordsets."""
from typing import Any

from common.db.api.dns import RecordSetRecord
from services.api.dns.views import link, timestamp


def recordset(row: RecordSetRecord) -> dict[str, Any]:
    return {"id": row.id, "zone_id": row.zone_id, "project_id": row.project_id,
            "name": row.name, "zone_name": row.zone_name, "type": row.type,
            "records": list(row.records), "ttl": row.ttl,
            "status": row.status, "action": row.action, "description": row.description,
            "version": row.version, "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at),
            "links": link("zones", row.zone_id, "recordsets", row.id)}

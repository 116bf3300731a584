"""Bodies of zone import tasks; ``links.zone`` once the import made a zone."""
from typing import Any

from common.db.api.dns_imports import ImportRecord
from services.api import urls
from services.api.dns.views import link, timestamp


def zone_import(row: ImportRecord) -> dict[str, Any]:
    links = link("zones", "tasks", "imports", row.id)
    if row.zone_id is not None:
        links["zone"] = urls.url("dns", "v2", "zones", row.zone_id)
    return {"id": row.id, "status": row.status, "message": row.message,
            "zone_id": row.zone_id, "project_id": row.project_id, "version": row.version,
            "created_at": timestamp(row.created_at), "updated_at": timestamp(row.updated_at),
            "links": links}

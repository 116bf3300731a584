"""Bodies of zones, their nameservers and the pool that serves them."""
from typing import Any

from common.db.api.dns import ZoneRecord
from services.api.dns.views import link, timestamp


def zone(row: ZoneRecord) -> dict[str, Any]:
    return {"id": row.id, "pool_id": row.pool_id, "project_id": row.project_id,
            "name": row.name, "email": row.email, "ttl": row.ttl, "serial": row.serial,
            "status": row.status, "action": row.action, "description": row.description,
            "masters": list(row.masters), "type": row.type,
            "transferred_at": timestamp(row.transferred_at), "version": row.version,
            "created_at": timestamp(row.created_at), "updated_at": timestamp(row.updated_at),
            "attributes": dict(row.attributes), "shared": row.shared,
            "links": link("zones", row.id)}


def nameservers(rows: list[dict[str, object]]) -> dict[str, Any]:
    return {"nameservers": [{"hostname": r["hostname"], "priority": r["priority"]}
                            for r in rows]}


def pool(pool_id: str, ns_records: list[dict[str, object]]) -> dict[str, Any]:
    """Strato's one pool: its dns agent's backends, serving [dns] nameservers."""
    return {"id": pool_id, "name": "default", "description": "Strato's dns agent backends",
            "project_id": None, "attributes": {}, "ns_records": ns_records,
            "created_at": None, "updated_at": None, "links": link("pools", pool_id)}

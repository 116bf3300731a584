"""Bodies of floating IP PTRs (/v2/reverse/floatingips), ids as ``region:floatingip_id``."""
from typing import Any

from common.config import CONF
from services.api.dns.views import link


def key(floatingip_id: str) -> str:
    return f"{CONF.identity.region}:{floatingip_id}"


def ptr(row: dict[str, Any]) -> dict[str, Any]:
    fip_key = key(row["floatingip_id"])
    return {"id": fip_key, "ptrdname": row["ptrdname"], "ttl": row["ttl"],
            "description": row["description"], "address": row["address"],
            "status": row["status"], "action": row["action"],
            "links": link("reverse", "floatingips", fip_key)}

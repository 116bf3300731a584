"""/v2/service_statuses (admin): the dns agents (and the api and conductor they need),
from the services registry, UP while their heartbeats are fresh."""
from typing import Any

import falcon

from common import policy
from common.db.api import services as services_db
from services.api import handlers, pagination
from services.api.dns.views import collection, link, timestamp

BINARIES = ("strato-api", "strato-conductor", "strato-dns")


def _status(row: services_db.ServiceRecord) -> dict[str, Any]:
    return {"id": row.uuid, "hostname": row.host, "service_name": row.binary,
            "status": "UP" if services_db.is_up(row) else "DOWN", "stats": {},
            "capabilities": {}, "heartbeated_at": timestamp(row.last_seen_at),
            "created_at": timestamp(row.created_at), "updated_at": timestamp(row.updated_at),
            "links": link("service_statuses", row.uuid)}


class ServiceStatuses:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "dns:list_service_statuses", {})
        rows = [row for row in services_db.list_services(ctx) if row.binary in BINARIES]
        resp.media = collection("service_statuses", [_status(row) for row in rows],
                                pagination.self_link(req), None, len(rows))

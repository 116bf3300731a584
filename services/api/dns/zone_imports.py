"""/v2/zones/tasks/imports[/{import_id}]: zone files turned into new zones.

POST takes the zone file as ``text/dns`` (API 2.0), or as ``application/json``
``{"zonefile": "...", "attributes": {...}}`` (API 2.3); any other type is a 415. The
import runs within the request, so the 202 body already says COMPLETE (with the zone,
cast to the dns agent like any new zone) or ERROR (with why, and no zone).
"""
import falcon

from common import exceptions, policy
from common.db.api import dns_imports
from services.api import body, handlers, pagination
from services.api.dns import agent, params, schemas, scope
from services.api.dns.views import collection
from services.api.dns.views import zone_imports as views

TEXT_DNS = "text/dns"


def _zone_file(req: falcon.Request) -> tuple[str, dict[str, str] | None]:
    """(zone file text, attributes) of the request body, by its content type."""
    media_type = (req.content_type or "").split(";")[0].strip().lower()
    if media_type == falcon.MEDIA_JSON:
        values = params.json_object(req, schemas.ZONE_IMPORT)
        return values["zonefile"], values.get("attributes")
    if media_type != TEXT_DNS:
        raise falcon.HTTPUnsupportedMediaType(
            description=f"A zone file is sent as {TEXT_DNS}, or in JSON as "
                        f"{falcon.MEDIA_JSON}.")
    try:
        return body.read(req).decode(), None
    except UnicodeDecodeError:
        raise exceptions.DNSBadRequest("The zone file is not UTF-8 text.") from None


class ZoneImports:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:list_zone_imports", scope.target(seen))
        query = params.list_params(req, dns_imports.FILTERS, int_filters=())
        rows = dns_imports.list_imports(handlers.ctx(req), seen.project_id, query.filters,
                                        query.limit, query.marker, query.sort_key,
                                        query.sort_dir)
        total = dns_imports.count_imports(handlers.ctx(req), seen.project_id, query.filters)
        resp.media = collection("imports", [views.zone_import(row) for row in rows],
                                pagination.self_link(req),
                                pagination.next_link(req, rows, query.limit), total)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:create_zone_import", scope.target(seen))
        text, attributes = _zone_file(req)
        task = dns_imports.import_zone(handlers.ctx(req), seen.owner, text, attributes)
        if task.zone_id is not None:
            agent.sync_zone(req, task.zone_id)
        resp.status = 202
        resp.media = views.zone_import(task)
        resp.location = resp.media["links"]["self"]


class ZoneImport:
    def on_get(self, req: falcon.Request, resp: falcon.Response, import_id: str) -> None:
        params.uuid_param("import_id", import_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_zone_import", scope.target(seen))
        task = dns_imports.get_import(handlers.ctx(req), import_id, seen.project_id)
        resp.media = views.zone_import(task)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, import_id: str) -> None:
        params.uuid_param("import_id", import_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:delete_zone_import", scope.target(seen))
        dns_imports.delete_import(handlers.ctx(req), import_id, seen.project_id)
        resp.status = 204

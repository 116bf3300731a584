"""/v2/zones/{zone_id}/recordsets[/{recordset_id}] and /v2/recordsets[/{recordset_id}].

A recordset marked for deletion is gone as far as the API shows: it answers 404 and
leaves the lists at once, while the dns agent removes it from the backends.
"""
import falcon

from common import policy
from common.db.api import dns as dns_api
from services.api import handlers, pagination
from services.api.dns import agent, params, schemas, scope
from services.api.dns.views import collection
from services.api.dns.views import recordsets as views

_FILTERS = (*dns_api.RECORDSET_FILTERS, "data")


def _list(req: falcon.Request, resp: falcon.Response, zone_id: str | None) -> None:
    seen = scope.of(req)
    policy.authorize(handlers.ctx(req), "dns:list_recordsets", scope.target(seen))
    query = params.list_params(req, _FILTERS)
    rows = dns_api.list_recordsets(handlers.ctx(req), zone_id, seen.project_id, query.filters,
                                   query.limit, query.marker, query.sort_key,
                                   query.sort_dir, hide_deleted=True)
    total = dns_api.count_recordsets(handlers.ctx(req), zone_id, seen.project_id,
                                     query.filters, hide_deleted=True)
    resp.media = collection("recordsets", [views.recordset(row) for row in rows],
                            pagination.self_link(req),
                            pagination.next_link(req, rows, query.limit), total)


class ZoneRecordsets:
    def on_get(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        _list(req, resp, zone_id)

    def on_post(self, req: falcon.Request, resp: falcon.Response, zone_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:create_recordset", scope.target(seen))
        values = params.json_object(req, schemas.RECORDSET_CREATE)
        recordset = dns_api.create_recordset(handlers.ctx(req), zone_id,
                                             project_id=seen.project_id, **values)
        agent.sync_zone(req, zone_id)
        resp.status = 202
        resp.media = views.recordset(recordset)


class ZoneRecordset:
    def on_get(self, req: falcon.Request, resp: falcon.Response, zone_id: str,
               recordset_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        params.uuid_param("recordset_id", recordset_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_recordset", scope.target(seen))
        resp.media = views.recordset(dns_api.get_recordset(
            handlers.ctx(req), zone_id, recordset_id, seen.project_id, hide_deleted=True))

    def on_put(self, req: falcon.Request, resp: falcon.Response, zone_id: str,
               recordset_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        params.uuid_param("recordset_id", recordset_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:update_recordset", scope.target(seen))
        values = params.json_object(req, schemas.RECORDSET_UPDATE)
        recordset = dns_api.update_recordset(handlers.ctx(req), zone_id, recordset_id, values,
                                             seen.project_id,
                                             edit_managed=seen.edit_managed)
        agent.sync_zone(req, zone_id)
        resp.status = 202
        resp.media = views.recordset(recordset)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, zone_id: str,
                  recordset_id: str) -> None:
        params.uuid_param("zone_id", zone_id)
        params.uuid_param("recordset_id", recordset_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:delete_recordset", scope.target(seen))
        recordset = dns_api.delete_recordset(handlers.ctx(req), zone_id, recordset_id,
                                             seen.project_id,
                                             edit_managed=seen.edit_managed)
        agent.sync_zone(req, zone_id)
        resp.status = 202
        resp.media = views.recordset(recordset)


class Recordsets:
    """Recordsets of every zone the caller sees."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _list(req, resp, None)


class Recordset:
    """A recordset by id alone: 301 to its place under its zone, as Designate does."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, recordset_id: str) -> None:
        params.uuid_param("recordset_id", recordset_id)
        seen = scope.of(req)
        policy.authorize(handlers.ctx(req), "dns:get_recordset", scope.target(seen))
        recordset = views.recordset(dns_api.get_recordset(
            handlers.ctx(req), None, recordset_id, seen.project_id, hide_deleted=True))
        resp.status = 301
        resp.location = recordset["links"]["self"]
        resp.media = recordset

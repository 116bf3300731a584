"""/servers/{id}/metadata and /servers/{id}/metadata/{key}."""
import falcon

from common import context, exceptions
from common.db.api import compute_instances
from common.db.api.compute_instances import InstanceRecord
from services.api import body, handlers
from services.api.compute import schemas, server_data
from services.compute import quotas

_METADATA = {"type": "object", "required": ["metadata"], "additionalProperties": False,
             "properties": {"metadata": schemas.METADATA}}
_META = {"type": "object", "required": ["meta"], "additionalProperties": False,
         "properties": {"meta": {**schemas.METADATA, "minProperties": 1,
                                 "maxProperties": 1}}}


def _metadata(instance: InstanceRecord) -> dict[str, str]:
    return dict(instance.metadata)


def _writable(req: falcon.Request, server_id: str) -> InstanceRecord:
    instance = server_data.get_server(req, server_id, "compute:servers:metadata:update")
    server_data.check_unlocked(req, instance)
    return instance


def _save(ctxt: context.RequestContext, instance: InstanceRecord, metadata: dict,
          replace: bool) -> dict[str, str]:
    merged = metadata if replace else {**_metadata(instance), **metadata}
    quotas.check_metadata(ctxt, instance.project_id, len(merged))
    return compute_instances.update_metadata(ctxt, instance.uuid, metadata, replace=replace)


class ServerMetadata:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        instance = server_data.get_server(req, server_id, "compute:servers:metadata:show")
        resp.media = {"metadata": _metadata(instance)}

    def on_post(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        metadata = body.json_body(req, _METADATA)["metadata"]
        saved = _save(handlers.ctx(req), _writable(req, server_id), metadata, False)
        resp.media = {"metadata": saved}

    def on_put(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        metadata = body.json_body(req, _METADATA)["metadata"]
        _save(handlers.ctx(req), _writable(req, server_id), metadata, True)
        resp.media = {"metadata": metadata}


class ServerMetadataItem:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               key: str) -> None:
        instance = server_data.get_server(req, server_id, "compute:servers:metadata:show")
        metadata = _metadata(instance)
        if key not in metadata:
            raise exceptions.NotFound("Metadata item was not found")
        resp.media = {"meta": {key: metadata[key]}}

    def on_put(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               key: str) -> None:
        meta = body.json_body(req, _META)["meta"]
        if key not in meta:
            raise exceptions.BadRequest("Request body and URI mismatch")
        _save(handlers.ctx(req), _writable(req, server_id), meta, False)
        resp.media = {"meta": meta}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, server_id: str,
                  key: str) -> None:
        instance = _writable(req, server_id)
        compute_instances.delete_metadata_key(handlers.ctx(req), instance.uuid, key)
        resp.status = 204

"""/servers/{id}/tags (2.26+): list, replace all, delete all; check, add, delete one."""
import falcon

from common import exceptions
from common.db.api import compute_tags
from common.db.api.compute_instances import InstanceRecord
from services.api import body, handlers, urls
from services.api.compute import microversion, schemas, server_data

_TAGS = {"type": "object", "required": ["tags"], "additionalProperties": False,
         "properties": {"tags": schemas.TAGS}}


def _server(req: falcon.Request, server_id: str, rule: str) -> InstanceRecord:
    if microversion.version(req) < (2, 26):
        raise exceptions.NotFound("The resource could not be found.")
    return server_data.get_server(req, server_id, rule)


class ServerTags:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        instance = _server(req, server_id, "compute:servers:tags:show")
        tags = compute_tags.tags_of(handlers.ctx(req), [instance.uuid])
        resp.media = {"tags": tags[instance.uuid]}

    def on_put(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        tags = body.json_body(req, _TAGS)["tags"]
        instance = _server(req, server_id, "compute:servers:tags:update")
        server_data.check_unlocked(req, instance)
        resp.media = {"tags": compute_tags.replace(handlers.ctx(req), instance.uuid, tags)}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        instance = _server(req, server_id, "compute:servers:tags:update")
        server_data.check_unlocked(req, instance)
        compute_tags.delete(handlers.ctx(req), instance.uuid)
        resp.status = 204


class ServerTag:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               tag: str) -> None:
        instance = _server(req, server_id, "compute:servers:tags:show")
        if tag not in compute_tags.tags_of(handlers.ctx(req), [instance.uuid])[instance.uuid]:
            raise exceptions.NotFound(f"Tag {tag} could not be found for server "
                                      f"{instance.uuid}.")
        resp.status = 204

    def on_put(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               tag: str) -> None:
        body.validate(tag, schemas.TAG)
        instance = _server(req, server_id, "compute:servers:tags:update")
        server_data.check_unlocked(req, instance)
        created = compute_tags.add(handlers.ctx(req), instance.uuid, tag)
        resp.status = 201 if created else 204
        resp.location = urls.url("compute", "v2.1", "servers", instance.uuid, "tags", tag)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, server_id: str,
                  tag: str) -> None:
        instance = _server(req, server_id, "compute:servers:tags:update")
        server_data.check_unlocked(req, instance)
        compute_tags.delete(handlers.ctx(req), instance.uuid, tag)
        resp.status = 204

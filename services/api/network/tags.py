"""/v2.0/{resources}/{id}/tags[/{tag}]: Neutron's tag API on networks, subnets, ports,
routers, floating IPs and security groups."""
import falcon

from common import policy
from common.db.api import network_tags as tags_db
from services.api import body, handlers
from services.api.network import events
from services.api.network.resources import envelope

# URL collection -> the resource kind the network agent syncs (tags bump revisions).
TAGGABLE = {"networks": "network", "subnets": "subnet", "ports": "port",
            "routers": "router", "floatingips": "floatingip",
            "security-groups": "security_group"}


class _TagResource:
    def __init__(self, collection: str) -> None:
        self.collection = collection
        self.kind = TAGGABLE[collection]

    def _changed(self, req: falcon.Request, resource_id: str) -> None:
        events.sync(handlers.ctx(req), [(self.kind, resource_id)])


class Tags(_TagResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response, resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:get_tags")
        resp.media = {"tags": tags_db.get_tags(ctx, self.collection, resource_id)}

    def on_put(self, req: falcon.Request, resp: falcon.Response, resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:update_tags")
        wanted = envelope(body.json_body(req), "tags", list)
        resp.media = {"tags": tags_db.replace_tags(ctx, self.collection, resource_id,
                                                   wanted)}
        self._changed(req, resource_id)

    def on_delete(self, req: falcon.Request, resp: falcon.Response,
                  resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:update_tags")
        tags_db.remove_all_tags(ctx, self.collection, resource_id)
        self._changed(req, resource_id)
        resp.status = 204


class Tag(_TagResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response, resource_id: str,
               tag: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:get_tags")
        tags_db.check_tag(ctx, self.collection, resource_id, tag)
        resp.status = 204

    def on_put(self, req: falcon.Request, resp: falcon.Response, resource_id: str,
               tag: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:update_tags")
        tags_db.add_tag(ctx, self.collection, resource_id, tag)
        self._changed(req, resource_id)
        resp.status = 201

    def on_delete(self, req: falcon.Request, resp: falcon.Response, resource_id: str,
                  tag: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "network:update_tags")
        tags_db.remove_tag(ctx, self.collection, resource_id, tag)
        self._changed(req, resource_id)
        resp.status = 204

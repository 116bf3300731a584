"""/v2.0/routers: routers with an external gateway (SNAT), static routes, and the
add_router_interface / remove_router_interface actions."""
import falcon

from common import exceptions, policy
from common.db.api import network_routers as routers_db
from services.api import body, handlers
from services.api.network import events, schemas
from services.api.network.resources import Kind

KIND = Kind("router", "routers", schemas.ROUTER,
            get=routers_db.get_router, list=routers_db.list_routers,
            create=routers_db.create_router, update=routers_db.update_router,
            delete=routers_db.delete_router)

_ACTIONS = {"add": routers_db.add_router_interface,
            "remove": routers_db.remove_router_interface}


class Interface:
    """PUT /routers/{id}/add_router_interface and .../remove_router_interface with
    {"subnet_id"} or {"port_id"}; 200 with Neutron's {id, tenant_id, project_id,
    port_id, subnet_id, subnet_ids, network_id}."""

    def __init__(self, action: str) -> None:
        self.action = action

    def on_put(self, req: falcon.Request, resp: falcon.Response,
               resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:{self.action}_router_interface")
        doc = body.json_body(req)
        if not isinstance(doc, dict):
            raise exceptions.BadRequest("The body must be a JSON object.")
        info = _ACTIONS[self.action](ctx, resource_id, doc)
        verb = "create" if self.action == "add" else "delete"
        events.written(ctx, "router", f"interface.{verb}", [info],
                       also=[("port", info["port_id"])])
        resp.media = info

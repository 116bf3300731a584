"""/servers/{id}/ips and /servers/{id}/ips/{network}: a server's addresses."""
import falcon

from common import exceptions
from common.db.api import compute_network
from services.api import handlers
from services.api.compute import server_data


def _addresses(req: falcon.Request, server_id: str) -> dict:
    instance = server_data.get_server(req, server_id, "compute:servers:ips")
    return compute_network.addresses(handlers.ctx(req), [instance.uuid])[instance.uuid]


class ServerIPs:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        resp.media = {"addresses": _addresses(req, server_id)}


class ServerNetworkIPs:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               network: str) -> None:
        addresses = _addresses(req, server_id)
        if network not in addresses:
            raise exceptions.NotFound("Instance is not a member of specified network")
        resp.media = {network: addresses[network]}

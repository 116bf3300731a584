"""/servers/{id}/os-security-groups: a server's security groups with their rules, as
Nova's proxy of Neutron shows them (openstacksdk's fetch_server_security_groups, which
the openstack.cloud Ansible modules read to compare a server with a task)."""
import falcon

from common.db.api import compute_network
from services.api import handlers
from services.api.compute import server_data
from services.api.compute.views import security_groups


class ServerSecurityGroups:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        instance = server_data.get_server(req, server_id, "compute:servers:security_groups")
        groups = compute_network.server_security_groups(handlers.ctx(req), instance.uuid,
                                                        instance.project_id)
        resp.media = {"security_groups": [security_groups.group(g) for g in groups]}

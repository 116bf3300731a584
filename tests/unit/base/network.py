"""Contexts and shortcuts shared by the networking domain-function tests."""
from common import context
from tests.network_requests import network as networks
from tests.network_requests import network_ports as ports
from tests.network_requests import network_subnets as subnets
from tests.unit import base

ADMIN = context.RequestContext(is_admin=True, roles=["admin"], project_id="admin-project",
                               overwrite=False)
ALICE = context.RequestContext(project_id="alice", roles=["member"], overwrite=False)
BOB = context.RequestContext(project_id="bob", roles=["member"], overwrite=False)


class NetworkTestCase(base.DatabaseTestCase):
    """A migrated SQLite database, and quick ways to make networks, subnets and ports."""

    def network(self, ctxt: context.RequestContext = ALICE, **body: object) -> dict:
        return networks.create_network(ctxt, {"name": "net", **body})

    def subnet(self, network: dict, cidr: str = "10.0.0.0/24",
               ctxt: context.RequestContext = ALICE, **body: object) -> dict:
        return subnets.create_subnet(ctxt, {"network_id": network["id"], "cidr": cidr,
                                            "ip_version": 6 if ":" in cidr else 4, **body})

    def port(self, network: dict, ctxt: context.RequestContext = ALICE,
             **body: object) -> dict:
        return ports.create_port(ctxt, {"network_id": network["id"], **body})

    def external_network(self, cidr: str = "172.24.4.0/24") -> tuple[dict, dict]:
        net = self.network(ADMIN, name="public", **{
            "router:external": True, "provider:network_type": "flat",
            "provider:physical_network": "physnet1"})
        return net, self.subnet(net, cidr, ADMIN)

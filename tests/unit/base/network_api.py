"""Base of the network API unit tests: the app under falcon.testing with admin and demo
tokens, request helpers, and the casts to the network agent recorded instead of sent."""
from unittest import mock

from services.network import rpcapi
from tests.unit.base import api as base

V2 = "/network/v2.0"


class NetworkAPITestCase(base.APITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = self.headers()
        self.demo = self.headers(self.token("demo", base.DEMO_PASSWORD, "demo"))
        patcher = mock.patch.object(rpcapi.NetworkAgentAPI, "sync", autospec=True)
        self.sync = patcher.start()
        self.addCleanup(patcher.stop)

    def synced(self) -> list[tuple[str, str]]:
        """Every (kind, id) cast to the network agent so far."""
        return [seed for call in self.sync.call_args_list for seed in call.args[2:]]

    def call(self, method: str, path: str, body: dict | None = None,
             headers: dict | None = None, status: int | None = None,
             query: str | None = None):
        resp = self.client.simulate_request(method, V2 + path, json=body,
                                            headers=headers or self.demo,
                                            query_string=query)
        if status is not None:
            self.assertEqual(status, resp.status_code, resp.text)
        return resp

    def create(self, collection: str, key: str, values: dict,
               headers: dict | None = None) -> dict:
        return self.call("POST", f"/{collection}", {key: values}, headers, 201).json[key]

    def error_type(self, resp) -> str:
        return resp.json["NeutronError"]["type"]

    # -- common topologies --

    def network_with_subnet(self, cidr: str = "10.0.0.0/24",
                            headers: dict | None = None) -> tuple[dict, dict]:
        net = self.create("networks", "network", {"name": "net"}, headers)
        subnet = self.create("subnets", "subnet", {"network_id": net["id"], "cidr": cidr,
                                                   "ip_version": 4}, headers)
        return net, subnet

    def external_network(self, cidr: str = "172.24.4.0/24") -> tuple[dict, dict]:
        net = self.create("networks", "network", {
            "name": "public", "router:external": True, "provider:network_type": "flat",
            "provider:physical_network": "physnet1"}, self.admin)
        subnet = self.create("subnets", "subnet", {"network_id": net["id"], "cidr": cidr},
                             self.admin)
        return net, subnet

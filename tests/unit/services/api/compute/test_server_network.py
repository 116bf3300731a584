"""What servers show of networking: addresses from their ports (fixed and floating),
the ip filter, networks checked on create, security groups from the ports."""
from common import context
from common.db.api import network as networks
from common.db.api import network_instances
from common.db.api import network_subnets as subnets
from tests.unit.services.api.compute import base


class ServerNetworkTest(base.ComputeAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = self.client.simulate_get(
            "/identity/v3/projects?name=demo", headers=self.admin).json["projects"][0]["id"]
        ctxt = context.RequestContext(project_id=self.project, roles=["member"],
                                      overwrite=False)
        self.net = networks.create_network(ctxt, {"name": "private"})
        subnets.create_subnet(ctxt, {"network_id": self.net["id"], "cidr": "10.9.0.0/24",
                                     "ip_version": 4})

    def test_addresses_ip_filter_and_security_groups_come_from_ports(self) -> None:
        resp = self.request("POST", "/servers", "2.37", self.demo, json={"server": {
            "name": "vm", "imageRef": self.image.id, "flavorRef": "1",
            "networks": [{"uuid": self.net["id"], "fixed_ip": "10.9.0.7"}]}})
        self.assertEqual(202, resp.status_code, resp.text)
        server_id = resp.json["server"]["id"]
        spec = self.conductor.build_instances.call_args.args[2]
        self.assertEqual([{"uuid": self.net["id"], "fixed_ip": "10.9.0.7"}],
                         spec["requested_networks"])
        network_instances.allocate_for_instance(
            context.get_admin_context(), server_id, self.project, base.HOST, "nova",
            spec["requested_networks"], spec["security_groups"])
        self.activate(server_id)
        server = self.request("GET", f"/servers/{server_id}", headers=self.demo).json["server"]
        (address,) = server["addresses"]["private"]
        self.assertEqual(("10.9.0.7", 4, "fixed"),
                         (address["addr"], address["version"], address["OS-EXT-IPS:type"]))
        self.assertEqual([{"name": "default"}], server["security_groups"])
        found = self.request("GET", "/servers?ip=10.9.0", headers=self.demo).json
        self.assertEqual([server_id], [s["id"] for s in found["servers"]])
        self.assertEqual([], self.request("GET", "/servers?ip=10.8", headers=self.demo)
                         .json["servers"])
        ips = self.request("GET", f"/servers/{server_id}/ips/private", headers=self.demo)
        self.assertEqual("10.9.0.7", ips.json["private"][0]["addr"])

    def test_networks_of_another_project_are_refused(self) -> None:
        resp = self.request("POST", "/servers", headers=self.admin, json={"server": {
            "name": "vm", "imageRef": self.image.id, "flavorRef": "1",
            "networks": [{"uuid": self.net["id"]}]}})
        self.assertEqual(400, resp.status_code)

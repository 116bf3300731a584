"""What servers show of networking: addresses from their ports (fixed and floating),
the ip filter, networks checked on create, security groups from the ports (in the
server body and in Nova's os-security-groups view with their rules)."""
from common import context
from common.db.api import network_instances
from tests.network_requests import network as networks
from tests.network_requests import network_security_groups as security_groups
from tests.network_requests import network_subnets as subnets
from tests.unit.base import compute_api as base


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

    def boot_on_the_network(self, security_groups: list[dict]) -> str:
        resp = self.request("POST", "/servers", headers=self.demo, json={"server": {
            "name": "vm", "imageRef": self.image.id, "flavorRef": "1",
            "networks": [{"uuid": self.net["id"]}], "security_groups": security_groups}})
        self.assertEqual(202, resp.status_code, resp.text)
        server_id = resp.json["server"]["id"]
        spec = self.conductor.build_instances.call_args.args[2]
        network_instances.allocate_for_instance(
            context.get_admin_context(), server_id, self.project, base.HOST, "nova",
            spec["requested_networks"], spec["security_groups"])
        self.activate(server_id)
        return server_id

    def test_os_security_groups_lists_the_ports_groups_with_nova_shaped_rules(self) -> None:
        ctxt = context.RequestContext(project_id=self.project, roles=["member"],
                                      overwrite=False)
        web = security_groups.create_security_group(ctxt, {"name": "web",
                                                            "description": "front"})
        for rule in web["security_group_rules"]:  # start from no egress/ingress rules
            security_groups.delete_security_group_rule(ctxt, rule["id"])
        ssh = security_groups.create_security_group_rule(ctxt, {
            "security_group_id": web["id"], "direction": "ingress", "ethertype": "IPv4",
            "protocol": "tcp", "port_range_min": 22, "port_range_max": 22,
            "remote_ip_prefix": "10.0.0.0/8"})
        udp = security_groups.create_security_group_rule(ctxt, {
            "security_group_id": web["id"], "direction": "ingress", "ethertype": "IPv4",
            "protocol": "udp", "remote_group_id": web["id"]})
        security_groups.create_security_group_rule(ctxt, {
            "security_group_id": web["id"], "direction": "egress", "ethertype": "IPv4",
            "protocol": "icmp"})
        server_id = self.boot_on_the_network([{"name": "web"}])

        resp = self.request("GET", f"/servers/{server_id}/os-security-groups",
                            headers=self.demo)
        self.assertEqual(200, resp.status_code, resp.text)
        (group,) = resp.json["security_groups"]
        self.assertEqual({"id": web["id"], "name": "web", "description": "front",
                          "tenant_id": self.project}, {k: group[k] for k in (
                              "id", "name", "description", "tenant_id")})
        rules = {rule["id"]: rule for rule in group["rules"]}  # ingress only, as Nova
        self.assertEqual({ssh["id"], udp["id"]}, set(rules))
        self.assertEqual({"id": ssh["id"], "parent_group_id": web["id"],
                          "ip_protocol": "tcp", "from_port": 22, "to_port": 22,
                          "group": {}, "ip_range": {"cidr": "10.0.0.0/8"}}, rules[ssh["id"]])
        self.assertEqual({"id": udp["id"], "parent_group_id": web["id"],
                          "ip_protocol": "udp", "from_port": 1, "to_port": 65535,
                          "group": {"name": "web", "tenant_id": self.project},
                          "ip_range": {}}, rules[udp["id"]])

    def test_os_security_groups_of_other_projects_servers_are_not_found(self) -> None:
        server = self.boot(headers=self.admin)
        path = f"/servers/{server['id']}/os-security-groups"
        resp = self.request("GET", path, headers=self.demo)
        self.assertEqual(404, resp.status_code)
        self.assertIn("itemNotFound", resp.json)
        self.assertEqual(200, self.request("GET", path, headers=self.admin).status_code)

"""Security groups and rules through the API: underscore JSON keys under hyphenated
paths, the default group, protocols by name or number, duplicates, rules without PUT."""
from tests.unit.base import network_api as base


class SecurityGroupsTest(base.NetworkAPITestCase):
    def test_default_group_and_rules(self) -> None:
        groups = self.call("GET", "/security-groups", status=200,
                           query="fields=id&fields=name&fields=security_group_rules"
                           ).json["security_groups"]
        self.assertEqual(["default"], [g["name"] for g in groups])
        self.assertEqual(4, len(groups[0]["security_group_rules"]))
        sg = self.create("security-groups", "security_group", {"name": "web",
                                                               "description": "web"})
        self.assertEqual(2, len(sg["security_group_rules"]))  # egress v4 and v6
        rule = self.create("security-group-rules", "security_group_rule", {
            "security_group_id": sg["id"], "direction": "ingress", "ethertype": "IPv4",
            "protocol": "tcp", "port_range_min": 22, "port_range_max": 22,
            "remote_ip_prefix": "0.0.0.0/0"})
        self.assertEqual(("tcp", 22, "0.0.0.0/0"), (rule["protocol"], rule["port_range_min"],
                                                    rule["remote_ip_prefix"]))
        by_number = self.create("security-group-rules", "security_group_rule", {
            "security_group_id": sg["id"], "direction": "ingress", "protocol": "17",
            "remote_group_id": sg["id"]})
        self.assertEqual("17", by_number["protocol"])
        dup = self.call("POST", "/security-group-rules", {"security_group_rule": {
            "security_group_id": sg["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0"}},
            status=409)
        self.assertEqual("SecurityGroupRuleExists", self.error_type(dup))
        self.call("PUT", f"/security-group-rules/{rule['id']}",
                  {"security_group_rule": {"description": "x"}}, status=405)
        rules = self.call("GET", "/security-group-rules",
                          query=f"security_group_id={sg['id']}&direction=ingress")
        self.assertEqual(2, len(rules.json["security_group_rules"]))
        self.call("DELETE", f"/security-group-rules/{rule['id']}", status=204)
        missing = self.call("GET", f"/security-group-rules/{rule['id']}", status=404)
        self.assertEqual("SecurityGroupRuleNotFound", self.error_type(missing))
        renamed = self.call("PUT", f"/security-groups/{sg['id']}", {"security_group": {
            "name": "web2"}}, status=200).json["security_group"]
        self.assertEqual("web2", renamed["name"])
        self.call("DELETE", f"/security-groups/{sg['id']}", status=204)
        self.assertIn(("security_group_rule", rule["id"]), self.synced())
        self.assertIn(("security_group", sg["id"]), self.synced())

    def test_bad_protocol_and_default_cannot_go(self) -> None:
        default = self.call("GET", "/security-groups", query="name=default"
                            ).json["security_groups"][0]
        bad = self.call("POST", "/security-group-rules", {"security_group_rule": {
            "security_group_id": default["id"], "direction": "ingress",
            "protocol": "bogus"}}, status=400)
        self.assertEqual("InvalidInput", self.error_type(bad))
        self.call("DELETE", f"/security-groups/{default['id']}", status=409)
        self.call("POST", "/security-groups", {"security_group": {"name": "default"}},
                  status=409)
        other = self.create("security-groups", "security_group", {"name": "other"})
        self.call("PUT", f"/security-groups/{other['id']}",
                  {"security_group": {"name": "default"}}, status=409)
        icmp = self.call("POST", "/security-group-rules", {"security_group_rule": {
            "security_group_id": other["id"], "direction": "ingress", "protocol": "icmp",
            "port_range_min": 1, "port_range_max": 256}}, status=400)
        self.assertIn("Invalid value for ICMP code", icmp.json["NeutronError"]["message"])

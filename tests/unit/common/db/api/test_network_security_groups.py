"""Security groups and rules: the default group, Neutron's rule checks, deletion."""
from common import exceptions
from tests.network_requests import network_ports as ports
from tests.network_requests import network_security_groups as sgs
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ADMIN, ALICE, BOB


def rule_shapes(sg: dict) -> set[tuple]:
    return {(r["direction"], r["ethertype"], r["remote_group_id"])
            for r in sg["security_group_rules"]}


class SecurityGroupTest(network_helpers.NetworkTestCase):
    def test_default_group_is_made_on_first_use(self) -> None:
        listed = sgs.list_security_groups(ALICE)
        self.assertEqual(["default"], [sg["name"] for sg in listed])
        default = listed[0]
        self.assertEqual({("ingress", "IPv4", default["id"]), ("ingress", "IPv6", default["id"]),
                          ("egress", "IPv4", None), ("egress", "IPv6", None)},
                         rule_shapes(default))
        self.assertEqual(listed, sgs.list_security_groups(ALICE))  # once only
        with self.assertRaises(exceptions.Conflict):
            sgs.create_security_group(ALICE, {"name": "default"})
        with self.assertRaises(exceptions.SecurityGroupCannotRemoveDefault):
            sgs.delete_security_group(ALICE, default["id"])
        with self.assertRaises(exceptions.Conflict):
            sgs.update_security_group(ALICE, default["id"], {"name": "other"})

    def test_new_group_allows_egress(self) -> None:
        web = sgs.create_security_group(ALICE, {"name": "web", "description": "web"})
        self.assertEqual({("egress", "IPv4", None), ("egress", "IPv6", None)},
                         rule_shapes(web))
        self.assertEqual(2, len(sgs.list_security_groups(ALICE)))
        with self.assertRaises(exceptions.SecurityGroupNotFound):
            sgs.get_security_group(BOB, web["id"])

    def test_rules(self) -> None:
        web = sgs.create_security_group(ALICE, {"name": "web"})
        body = {"security_group_id": web["id"], "direction": "ingress", "protocol": "tcp",
                "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0"}
        rule = sgs.create_security_group_rule(ALICE, body)
        self.assertEqual(("IPv4", "tcp", 22, 22, "0.0.0.0/0"),
                         (rule["ethertype"], rule["protocol"], rule["port_range_min"],
                          rule["port_range_max"], rule["normalized_cidr"]))
        with self.assertRaises(exceptions.SecurityGroupRuleExists):
            sgs.create_security_group_rule(ALICE, {**body, "protocol": "6"})
        self.assertEqual(2, sgs.get_security_group(ALICE, web["id"])["revision_number"])
        sgs.delete_security_group_rule(ALICE, rule["id"])
        with self.assertRaises(exceptions.SecurityGroupRuleNotFound):
            sgs.get_security_group_rule(ALICE, rule["id"])

    def test_rule_checks(self) -> None:
        web = sgs.create_security_group(ALICE, {"name": "web"})
        base = {"security_group_id": web["id"], "direction": "ingress"}
        bad = [{"protocol": "tcp", "port_range_min": 90, "port_range_max": 80},
               {"protocol": "tcp", "port_range_min": 0, "port_range_max": 80},
               {"protocol": "gre", "port_range_min": 1, "port_range_max": 2},
               {"port_range_min": 22},
               {"protocol": "icmp", "port_range_max": 0},
               {"protocol": "icmp", "port_range_min": 300},
               {"protocol": "bogus"},
               {"ethertype": "IPv6", "remote_ip_prefix": "10.0.0.0/8"},
               {"remote_ip_prefix": "10.0.0.0/8", "remote_group_id": web["id"]},
               {"ethertype": "IPv4", "protocol": "ipv6-icmp"},
               {"direction": "sideways"}]
        for extra in bad:
            with self.subTest(extra), self.assertRaises(exceptions.InvalidInput):
                sgs.create_security_group_rule(ALICE, {**base, **extra})
        ok = sgs.create_security_group_rule(ALICE, {**base, "protocol": "icmp",
                                                    "port_range_min": 8})
        self.assertEqual((8, None), (ok["port_range_min"], ok["port_range_max"]))
        ranged = sgs.create_security_group_rule(ALICE, {**base, "protocol": "udp",
                                                        "port_range_min": 53})
        self.assertEqual((53, 53), (ranged["port_range_min"], ranged["port_range_max"]))

    def test_group_in_use_cannot_go(self) -> None:
        net = self.network()
        self.subnet(net)
        web = sgs.create_security_group(ALICE, {"name": "web"})
        port = self.port(net, security_groups=[web["id"]])
        with self.assertRaises(exceptions.SecurityGroupInUse):
            sgs.delete_security_group(ALICE, web["id"])
        ports.update_port(ALICE, port["id"], {"security_groups": []})
        sgs.delete_security_group(ALICE, web["id"])

    def test_admin_may_remove_a_default_group(self) -> None:
        default = sgs.list_security_groups(ALICE)[0]
        sgs.delete_security_group(ADMIN, default["id"])
        self.assertEqual(["default"], [sg["name"] for sg in sgs.list_security_groups(ALICE)])
        self.assertNotEqual(default["id"], sgs.list_security_groups(ALICE)[0]["id"])

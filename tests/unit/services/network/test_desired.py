"""The desired-state builder: which OVN rows a snapshot of the database turns into."""
import json

from common import ovn_names
from common.db.api import network_state
from services.network import desired
from services.network.ovn import rows
from services.network.ovn.rows import Member, Ref
from tests.network_requests import network_floatingips as fips
from tests.network_requests import network_ports as ports
from tests.network_requests import network_routers as routers
from tests.network_requests import network_security_groups as sgs
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ADMIN, ALICE


def build(chassis: tuple[str, ...] = ("gw1", "gw2")) -> desired.Desired:
    snapshot = json.loads(json.dumps(network_state.snapshot(ADMIN)))  # as it crosses the bus
    return desired.build(snapshot, chassis, "openstacklocal", 43200, ["9.9.9.9"])


class BuilderTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.net = self.network()
        self.sub = self.subnet(self.net, dns_nameservers=["1.1.1.1"])
        self.vm = self.port(self.net, allowed_address_pairs=[{"ip_address": "10.0.0.99"}])

    def row(self, table: str, key: str) -> rows.Row:
        return build().rows[(table, key)]

    def test_network_and_dhcp(self) -> None:
        switch = self.row("Logical_Switch", ovn_names.switch_name(self.net["id"]))
        self.assertEqual(("network", self.net["id"]), switch.scope)
        self.assertEqual("strato", switch.external_ids()[rows.OWNER_KEY])
        dhcp = self.row("DHCP_Options", self.sub["id"])
        self.assertEqual("10.0.0.0/24", dhcp.columns["cidr"])
        self.assertEqual({"server_id": "10.0.0.1", "router": "10.0.0.1", "mtu": "1442",
                          "lease_time": "43200", "dns_server": "{1.1.1.1}",
                          "domain_name": '"openstacklocal"',
                          "server_mac": desired.server_mac(self.sub["id"])},
                         dict(dhcp.columns["options"]))

    def test_switch_port(self) -> None:
        lsp = self.row("Logical_Switch_Port", self.vm["id"])
        mac = self.vm["mac_address"]
        self.assertEqual(ovn_names.switch_name(self.net["id"]), lsp.parent)
        self.assertEqual([f"{mac} 10.0.0.2"], lsp.columns["addresses"])
        self.assertEqual([f"{mac} 10.0.0.2", f"{mac} 10.0.0.99"], lsp.columns["port_security"])
        self.assertEqual([Ref("DHCP_Options", self.sub["id"])], lsp.columns["dhcpv4_options"])
        self.assertEqual({}, lsp.columns["options"])
        self.assertEqual(str(self.vm["revision_number"]), lsp.external_ids()["strato:revision"])
        ports.update_port(ADMIN, self.vm["id"], {"binding:host_id": "chassis1"})
        lsp = self.row("Logical_Switch_Port", self.vm["id"])
        self.assertEqual({"requested-chassis": "chassis1"}, lsp.columns["options"])

    def test_port_without_port_security_accepts_unknown_addresses(self) -> None:
        port = self.port(self.net, port_security_enabled=False)
        lsp = self.row("Logical_Switch_Port", port["id"])
        self.assertIn("unknown", lsp.columns["addresses"])
        self.assertEqual([], lsp.columns["port_security"])
        self.assertFalse({m for m in build().members if m.port == port["id"]})

    def test_memberships(self) -> None:
        sg = self.vm["security_groups"][0]
        self.assertEqual({Member(ovn_names.DROP_PORT_GROUP, self.vm["id"]),
                          Member(ovn_names.port_group_name(sg), self.vm["id"])},
                         {m for m in build().members if m.port == self.vm["id"]})

    def test_security_group_acls_and_address_sets(self) -> None:
        sg = self.vm["security_groups"][0]
        group = ovn_names.port_group_name(sg)
        built = build()
        acls = {row.columns["match"]: row for row in built.rows.values()
                if row.table == "ACL" and row.parent == group}
        self.assertEqual({f"outport == @{group} && ip4 && ip4.src == "
                          f"${ovn_names.address_set_name(sg, 4)}",
                          f"outport == @{group} && ip6 && ip6.src == "
                          f"${ovn_names.address_set_name(sg, 6)}",
                          f"inport == @{group} && ip4", f"inport == @{group} && ip6"},
                         set(acls))
        self.assertEqual({"allow-related"}, {row.columns["action"] for row in acls.values()})
        self.assertEqual(["10.0.0.2", "10.0.0.99"], built.rows[(
            "Address_Set", ovn_names.address_set_name(sg, 4))].columns["addresses"])
        drop = [row for row in built.rows.values() if row.parent == ovn_names.DROP_PORT_GROUP]
        self.assertEqual({("from-lport", 1001, "drop"), ("to-lport", 1001, "drop")},
                         {(r.columns["direction"], r.columns["priority"], r.columns["action"])
                          for r in drop})

    def test_rule_matches(self) -> None:
        def match(**rule: object) -> str:
            base = {"direction": "ingress", "ethertype": "IPv4", "remote_ip_prefix": None,
                    "remote_group_id": None, "protocol": None, "port_range_min": None,
                    "port_range_max": None}
            return desired.acl_match("pg_x", {**base, **rule})
        self.assertEqual("outport == @pg_x && ip4 && tcp && tcp.dst == 22",
                         match(protocol="tcp", port_range_min=22, port_range_max=22))
        self.assertEqual("outport == @pg_x && ip4 && ip4.src == 10.0.0.0/8 && udp && "
                         "udp.dst >= 1000 && udp.dst <= 2000",
                         match(protocol="17", remote_ip_prefix="10.1.2.3/8",
                               port_range_min=1000, port_range_max=2000))
        self.assertEqual("inport == @pg_x && ip6 && icmp6 && icmp6.type == 128",
                         match(direction="egress", ethertype="IPv6", protocol="ipv6-icmp",
                               port_range_min=128, remote_ip_prefix="::/0"))
        self.assertEqual("outport == @pg_x && ip4 && ip.proto == 112", match(protocol="vrrp"))

    def test_router_gateway_snat_and_floating_ip(self) -> None:
        ext, _ = self.external_network()
        router = routers.create_router(ALICE, {"external_gateway_info": {
            "network_id": ext["id"]}})
        interface = routers.add_router_interface(ALICE, router["id"],
                                                 {"subnet_id": self.sub["id"]})
        fip = fips.create_floatingip(ALICE, {"floating_network_id": ext["id"],
                                             "port_id": self.vm["id"]})
        built = build()
        name = ovn_names.router_name(router["id"])
        gw = ports.list_ports(ADMIN, filters={"device_owner": ["network:router_gateway"]})[0]
        lrp = built.rows[("Logical_Router_Port", ovn_names.router_port_name(interface["port_id"]))]
        self.assertEqual((name, ["10.0.0.1/24"]), (lrp.parent, lrp.columns["networks"]))
        gw_lrp = ovn_names.router_port_name(gw["id"])
        self.assertEqual(["172.24.4.2/24"],
                         built.rows[("Logical_Router_Port", gw_lrp)].columns["networks"])
        self.assertEqual({("gw1", 2), ("gw2", 1)},
                         {(r.columns["chassis_name"], r.columns["priority"])
                          for r in built.rows.values() if r.table == "Gateway_Chassis"})
        nats = {r.key for r in built.rows.values() if r.table == "NAT"}
        self.assertEqual({"snat 172.24.4.2 10.0.0.0/24",
                          f"dnat_and_snat {fip['floating_ip_address']} 10.0.0.2"}, nats)
        self.assertIn(("Logical_Router_Static_Route", "0.0.0.0/0 via 172.24.4.1"), built.rows)
        router_lsp = built.rows[("Logical_Switch_Port", interface["port_id"])]
        self.assertEqual(("router", ["router"]), (router_lsp.columns["type"],
                                                  router_lsp.columns["addresses"]))
        gw_lsp = built.rows[("Logical_Switch_Port", gw["id"])]
        self.assertEqual("router", gw_lsp.columns["options"]["nat-addresses"])
        localnet = built.rows[("Logical_Switch_Port", ovn_names.localnet_name(ext["id"]))]
        self.assertEqual(("localnet", {"network_name": "physnet1"}),
                         (localnet.columns["type"], localnet.columns["options"]))

    def test_stateless_group(self) -> None:
        sg = sgs.create_security_group(ALICE, {"name": "fast", "stateful": False})
        acls = [r for r in build().rows.values()
                if r.table == "ACL" and r.parent == ovn_names.port_group_name(sg["id"])]
        self.assertEqual({"allow-stateless"}, {r.columns["action"] for r in acls})

    def test_vlan_localnet_is_tagged(self) -> None:
        net = self.network(ADMIN, **{"provider:network_type": "vlan",
                                     "provider:physical_network": "physnet2",
                                     "provider:segmentation_id": 42})
        localnet = build().rows[("Logical_Switch_Port", ovn_names.localnet_name(net["id"]))]
        self.assertEqual([42], localnet.columns["tag"])

"""Packets, not rows: Strato networks realized by the network agent carry traffic between
namespaces acting as VMs, on OVN with the userspace datapath (see ovn.py).

One topology for the class: an external flat network (physnet1, with a namespace as the
upstream router 172.24.4.1), two tenant networks behind a router with SNAT, three VMs in
a security group allowing tcp/22 and ICMP, and a floating IP on vm1. Everything is made
through the domain functions plus one sync cast each, as the network API does.
"""
import os
import subprocess
import sys

from services.network import rpcapi
from tests import backends
from tests.functional import fixtures
from tests.functional.fixtures import ovn
from tests.functional.network.test_reconcile import (
    ADMIN,
    USER,
    network_config,
    use_deployment_database,
)
from tests.network_requests import network as networks
from tests.network_requests import network_floatingips as fips
from tests.network_requests import network_ports as ports
from tests.network_requests import network_routers as routers
from tests.network_requests import network_security_groups as sgs
from tests.network_requests import network_subnets as subnets

HERE = os.path.dirname(os.path.abspath(__file__))
UDHCPC_SCRIPT = os.path.join(HERE, "udhcpc.script")
TCP_TOOL = os.path.join(HERE, "tcp_tool.py")
UPSTREAM = "172.24.4.1"


class DataplaneTest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        backends.require_root("network namespaces")
        ovn.require("ovn-northd", "ovn-controller", "ovs-vswitchd", "busybox", "ethtool")
        super().setUpClass()
        cls.central = ovn.Central()
        cls.addClassCleanup(cls.central.cleanup)
        cls.central.start()
        cls.chassis = ovn.Chassis(cls.central)
        cls.addClassCleanup(cls.chassis.cleanup)
        cls.chassis.start()
        cls.servers: list[subprocess.Popen] = []
        cls.addClassCleanup(cls.stop_servers)
        with open(cls.deployment.config_file, "a") as f:
            f.write(network_config(cls.central.nb_remote, 5))
        use_deployment_database(cls.deployment)
        cls.deployment.start("strato-conductor")
        cls.deployment.ping("strato-conductor")
        cls.deployment.start("strato-network", without_database=True)
        cls.deployment.ping("strato-network")
        cls.agent_api = rpcapi.NetworkAgentAPI()
        cls.build_topology()
        cls.plug_vms()
        cls.ext_ns = cls.chassis.add_external("physnet1", f"{UPSTREAM}/24")
        cls.leases = {name: cls.dhcp(name) for name in cls.vms}

    # -- the topology -----------------------------------------------------------------

    @classmethod
    def sync(cls, kind: str, resource: dict) -> None:
        cls.agent_api.sync(USER, (kind, resource["id"]))

    @classmethod
    def build_topology(cls) -> None:
        ext = networks.create_network(ADMIN, {
            "name": "public", "router:external": True, "provider:network_type": "flat",
            "provider:physical_network": "physnet1"})
        subnets.create_subnet(ADMIN, {"network_id": ext["id"], "cidr": "172.24.4.0/24",
                                      "gateway_ip": UPSTREAM})
        cls.web = sgs.create_security_group(USER, {"name": "web"})
        for rule in ({"protocol": "tcp", "port_range_min": 22, "port_range_max": 22},
                     {"protocol": "icmp"}):
            sgs.create_security_group_rule(USER, {
                "security_group_id": cls.web["id"], "direction": "ingress", **rule})
        router = routers.create_router(USER, {"name": "r1", "external_gateway_info": {
            "network_id": ext["id"]}})
        cls.gateway_ip = router["external_gateway_info"]["external_fixed_ips"][0]["ip_address"]
        cls.vms: dict[str, dict] = {}
        for name, cidr, vms in (("a", "10.0.1.0/24", ("vm1", "vm2")),
                                ("b", "10.0.2.0/24", ("vm3",))):
            net = networks.create_network(USER, {"name": name})
            sub = subnets.create_subnet(USER, {"network_id": net["id"], "cidr": cidr})
            routers.add_router_interface(USER, router["id"], {"subnet_id": sub["id"]})
            cls.sync("network", net)
            for vm in vms:
                port = ports.create_port(USER, {"network_id": net["id"], "name": vm,
                                                "security_groups": [cls.web["id"]]})
                cls.vms[vm] = ports.update_port(ADMIN, port["id"], {
                    "binding:host_id": cls.chassis.name, "device_id": vm,
                    "device_owner": "compute:nova"})
        cls.fip = fips.create_floatingip(USER, {"floating_network_id": ext["id"],
                                                "port_id": cls.vms["vm1"]["id"]})
        for kind, resource in [("network", ext), ("security_group", cls.web),
                               ("router", router), ("floatingip", cls.fip),
                               *[("port", vm) for vm in cls.vms.values()]]:
            cls.sync(kind, resource)

    @classmethod
    def plug_vms(cls) -> None:
        """Plug each VM once its switch port exists; wait until Strato says ACTIVE."""
        def realized() -> bool:
            names = cls.central.nbctl("--bare", "--columns=name", "list",
                                      "Logical_Switch_Port").split()
            return all(vm["id"] in names for vm in cls.vms.values())
        with cls.deployment.logs_on_failure():
            fixtures.wait_until(realized, 60, "switch ports of the VMs")
        cls.netns = {name: cls.chassis.add_vm(name, vm["id"], vm["mac_address"])
                     for name, vm in cls.vms.items()}
        for vm in cls.vms.values():
            with cls.deployment.logs_on_failure():
                fixtures.wait_until(
                    lambda vm=vm: ports.get_port(USER, vm["id"])["status"] == "ACTIVE", 60,
                    f"port {vm['name']} ACTIVE")

    @classmethod
    def dhcp(cls, name: str) -> str:
        return cls.chassis.exec(cls.netns[name], "busybox", "udhcpc", "-i", "eth0", "-n",
                                "-q", "-t", "10", "-T", "2", "-s", UDHCPC_SCRIPT)

    # -- helpers ----------------------------------------------------------------------

    @classmethod
    def serve(cls, netns: str, *tcp_ports: int) -> None:
        server = subprocess.Popen(
            ["ip", "netns", "exec", netns, sys.executable, TCP_TOOL, "serve",
             *map(str, tcp_ports)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        cls.servers.append(server)
        assert server.stdout.readline().strip() == "listening"

    @classmethod
    def stop_servers(cls) -> None:
        for server in cls.servers:
            server.terminate()
            server.wait(10)

    def address(self, name: str) -> str:
        return self.vms[name]["fixed_ips"][0]["ip_address"]

    def connect(self, netns: str, host: str, port: int, timeout: float = 1.5) -> str | None:
        """The server's answer (the address it saw us come from), or None if blocked."""
        out = self.chassis.exec(netns, sys.executable, TCP_TOOL, "connect", host, str(port),
                                str(timeout), check=False, timeout=timeout + 10)
        return None if out.startswith("failed") else out.strip()

    def ping(self, netns: str, host: str) -> bool:
        out = self.chassis.exec(netns, "busybox", "ping", "-c", "2", "-W", "2", host,
                                check=False)
        return " 0% packet loss" in out

    def eventually(self, predicate, what: str, timeout: float = 30) -> None:
        with self.deployment.logs_on_failure():
            fixtures.wait_until(predicate, timeout, what, interval=0.5)

    # -- the tests --------------------------------------------------------------------

    def test_dhcp_hands_out_the_strato_addresses(self) -> None:
        for name, lease in self.leases.items():
            self.assertIn(f"lease {self.address(name)}/24", lease, name)
            gateway = self.address(name).rsplit(".", 1)[0] + ".1"
            self.assertIn(f"router {gateway} mtu 1442", lease, name)

    def test_ping_on_one_network_and_across_the_router(self) -> None:
        self.eventually(lambda: self.ping(self.netns["vm1"], self.address("vm2")),
                        "vm1 pings vm2")
        self.eventually(lambda: self.ping(self.netns["vm1"], self.address("vm3")),
                        "vm1 pings vm3 through the router")

    def test_security_group_rules_open_and_close_ports(self) -> None:
        vm1, vm2 = self.netns["vm1"], self.address("vm2")
        self.serve(self.netns["vm2"], 22, 80)
        self.eventually(lambda: self.connect(vm1, vm2, 22) == self.address("vm1"),
                        "tcp/22 allowed")
        self.assertIsNone(self.connect(vm1, vm2, 80), "tcp/80 must be blocked")
        rule = sgs.create_security_group_rule(USER, {
            "security_group_id": self.web["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 80, "port_range_max": 80})
        self.sync("security_group_rule", rule)
        self.eventually(lambda: self.connect(vm1, vm2, 80) is not None,
                        "tcp/80 allowed by the new rule")
        sgs.delete_security_group_rule(USER, rule["id"])
        self.sync("security_group_rule", rule)
        self.eventually(lambda: self.connect(vm1, vm2, 80) is None,
                        "tcp/80 blocked again once the rule is gone")
        self.assertEqual(self.address("vm1"), self.connect(vm1, vm2, 22))

    def test_snat_and_floating_ip_reach_the_external_network(self) -> None:
        self.serve(self.ext_ns, 8080)
        self.serve(self.netns["vm1"], 22)
        self.eventually(lambda: self.connect(self.netns["vm3"], UPSTREAM, 8080)
                        == self.gateway_ip, "vm3 leaves through SNAT")
        self.eventually(lambda: self.connect(self.netns["vm1"], UPSTREAM, 8080)
                        == self.fip["floating_ip_address"], "vm1 leaves as its floating IP")
        self.eventually(lambda: self.connect(self.ext_ns, self.fip["floating_ip_address"], 22)
                        == UPSTREAM, "the floating IP reaches vm1 from outside")
        self.assertTrue(self.ping(self.ext_ns, self.fip["floating_ip_address"]))



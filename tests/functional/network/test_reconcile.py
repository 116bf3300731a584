"""The network agent as a real process (without even a database layer to import), with a
real conductor on a private RabbitMQ vhost and a real OVN northbound ovsdb-server:
resources made through the domain functions appear in OVN, rows deleted by hand come back
within one reconcile period, rows Strato does not own are left alone, and a northbound
that crashed and came back empty is refilled by the network and dns agents."""
import time

from common import config, context, ovn_names
from common.config import CONF
from services.network import rpcapi
from tests.functional import fixtures
from tests.functional.fixtures import ovn
from tests.network_requests import network as networks
from tests.network_requests import network_floatingips as fips
from tests.network_requests import network_ports as ports
from tests.network_requests import network_routers as routers
from tests.network_requests import network_security_groups as sgs
from tests.network_requests import network_subnets as subnets

RECONCILE_INTERVAL = 2.0
ADMIN = context.RequestContext(is_admin=True, roles=["admin"], project_id="admin-project",
                               overwrite=False)
USER = context.RequestContext(project_id="demo", roles=["member"], overwrite=False)


def network_config(nb_remote: str, reconcile_interval: float) -> str:
    return (f"\n[network]\novn_nb_connection = {nb_remote}\n"
            f"reconcile_interval = {reconcile_interval}\ngateway_chassis = chassis1\n")


def use_deployment_database(deployment: fixtures.Deployment) -> None:
    """This process calls the domain functions, as the api does: give it the database."""
    CONF.clear()
    config.parse_args(["--config-file", deployment.config_file,
                       "--config-file", deployment.db_config_file], default_config_files=[])


class AgentReconcileTest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.nb = ovn.Northbound()
        cls.addClassCleanup(cls.nb.cleanup)
        cls.nb.start()
        with open(cls.deployment.config_file, "a") as f:
            f.write(network_config(cls.nb.nb_remote, RECONCILE_INTERVAL))
            f.write(f"\n[dns]\nbackends = ovn\nreconcile_interval = {RECONCILE_INTERVAL}\n")
        use_deployment_database(cls.deployment)
        cls.deployment.start("strato-conductor")
        cls.deployment.ping("strato-conductor")
        cls.agent = cls.deployment.start("strato-network", without_database=True)
        cls.deployment.ping("strato-network")
        cls.dns_agent = cls.deployment.start("strato-dns", without_database=True)
        cls.deployment.ping("strato-dns")

    def setUp(self) -> None:
        super().setUp()
        self.agent_api = rpcapi.NetworkAgentAPI()

    def list(self, table: str, column: str = "name") -> list[str]:
        return self.nb.nbctl("--bare", f"--columns={column}", "list", table).split()

    @classmethod
    def public_network(cls) -> dict:
        """The one flat external network (physnet1 carries one), made at first use."""
        if getattr(cls, "_public", None) is None:
            cls._public = networks.create_network(ADMIN, {
                "name": "public", "router:external": True,
                "provider:network_type": "flat", "provider:physical_network": "physnet1"})
            subnets.create_subnet(ADMIN, {"network_id": cls._public["id"],
                                          "cidr": "172.24.4.0/24"})
        return cls._public

    def build_topology(self) -> dict:
        """What the network API would do: domain functions, then one sync cast each."""
        ext = self.public_network()
        net = networks.create_network(USER, {"name": "private",
                                             "dns_domain": "example.org."})
        sub = subnets.create_subnet(USER, {"network_id": net["id"], "cidr": "10.0.0.0/24"})
        web = sgs.create_security_group(USER, {"name": "web"})
        sgs.create_security_group_rule(USER, {
            "security_group_id": web["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 22, "port_range_max": 22})
        vms = [ports.create_port(USER, {"network_id": net["id"], "name": f"vm{i}",
                                        "dns_name": f"vm{i}",
                                        "security_groups": [web["id"]]}) for i in (1, 2)]
        router = routers.create_router(USER, {"name": "r1", "external_gateway_info": {
            "network_id": ext["id"]}})
        routers.add_router_interface(USER, router["id"], {"subnet_id": sub["id"]})
        fip = fips.create_floatingip(USER, {"floating_network_id": ext["id"],
                                            "port_id": vms[0]["id"]})
        for kind, resource in [("network", ext), ("network", net), ("security_group", web),
                               ("port", vms[0]), ("port", vms[1]), ("router", router),
                               ("floatingip", fip)]:
            self.agent_api.sync(USER, (kind, resource["id"]))
        return {"net": net, "vms": vms, "router": router, "web": web}

    def wait_realized(self, topology: dict, timeout: float) -> None:
        router = ovn_names.router_name(topology["router"]["id"])

        def nat_types() -> list[str]:
            if router not in self.list("Logical_Router"):
                return []
            return sorted(line.split()[0] for line in
                          self.nb.nbctl("lr-nat-list", router).splitlines()[1:])

        def realized() -> bool:
            ports_now = self.list("Logical_Switch_Port")
            return (all(vm["id"] in ports_now for vm in topology["vms"])
                    and nat_types() == ["dnat_and_snat", "snat"]
                    and "tcp.dst == 22" in self.nb.nbctl("list", "ACL")
                    and all(f"vm{i}.example.org" in self.nb.nbctl("list", "DNS")
                            for i in (1, 2)))
        with self.deployment.logs_on_failure():
            fixtures.wait_until(realized, timeout, "Strato's rows in OVN northbound",
                                interval=0.1)

    def test_realized_then_repaired_and_foreign_rows_kept(self) -> None:
        topology = self.build_topology()
        self.wait_realized(topology, timeout=30)
        acls = sorted(self.list("ACL", "match"))
        router = ovn_names.router_name(topology["router"]["id"])
        for vm in topology["vms"]:
            self.nb.nbctl("lsp-del", vm["id"])
        for group in self.list("Port_Group"):
            self.nb.nbctl("--type=port-group", "acl-del", group)
        self.nb.nbctl("lr-nat-del", router)
        self.nb.nbctl("ls-add", "foreign", "--", "lsp-add", "foreign", "foreign-port")
        deleted_at = time.monotonic()
        # One reconcile period, plus the time a pass takes on two busy cores.
        self.wait_realized(topology, timeout=RECONCILE_INTERVAL + 3)
        elapsed = time.monotonic() - deleted_at
        self.assertEqual(acls, sorted(self.list("ACL", "match")))
        self.assertIn("foreign", self.list("Logical_Switch"))
        self.assertIn("foreign-port", self.list("Logical_Switch_Port"))
        self.assertTrue(self.agent.running(), self.agent.log_tail())
        with open(self.agent.log_path) as log:
            self.assertIn("reconcile repaired", log.read())
        self.assertLess(elapsed, RECONCILE_INTERVAL + 3)

    def test_a_northbound_restarted_empty_is_refilled(self) -> None:
        topology = self.build_topology()
        self.wait_realized(topology, timeout=30)
        self.nb.crash_and_start_empty()
        # Both agents reconnect by themselves; their next full passes write it all again.
        self.wait_realized(topology, timeout=RECONCILE_INTERVAL + 20)
        self.assertTrue(self.agent.running(), self.agent.log_tail())
        self.assertTrue(self.dns_agent.running(), self.dns_agent.log_tail())

    def test_port_status_follows_ovn(self) -> None:
        net = networks.create_network(USER, {"name": "status"})
        subnets.create_subnet(USER, {"network_id": net["id"], "cidr": "10.1.0.0/24"})
        port = ports.create_port(USER, {"network_id": net["id"]})
        self.agent_api.sync(USER, ("port", port["id"]))
        with self.deployment.logs_on_failure():
            fixtures.wait_until(lambda: port["id"] in self.list("Logical_Switch_Port"), 30,
                                "the switch port")
        self.nb.nbctl("set", "Logical_Switch_Port", port["id"], "up=true")
        fixtures.wait_until(lambda: ports.get_port(USER, port["id"])["status"] == "ACTIVE",
                            30, "port ACTIVE")
        self.nb.nbctl("set", "Logical_Switch_Port", port["id"], "up=false")
        fixtures.wait_until(lambda: ports.get_port(USER, port["id"])["status"] == "DOWN",
                            30, "port DOWN")

"""The network API as real processes: strato-api, conductor and network agent (on a
private vhost) and an OVN northbound ovsdb-server. What the stock CLI does over HTTP
(networks, subnets, a port with a DNS name, a router with a gateway and an interface,
a floating IP, a security group rule) shows up in OVN at once, by the API's cast, and
goes away again on delete."""
import json
import re
import urllib.error
import urllib.request

from tests.functional import fixtures
from tests.functional.fixtures import ovn

PASSWORD = "functional-secret"
# Long enough that only the API's casts, not the periodic pass, can explain the rows.
RECONCILE_INTERVAL = 600


@fixtures.on_each_database
class NetworkAPITest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        deployment = cls.deployment
        cls.nb = ovn.Northbound()
        cls.addClassCleanup(cls.nb.cleanup)
        cls.nb.start()
        with open(deployment.config_file) as f:
            port = re.search(r"bind_port = (\d+)", f.read()).group(1)
        cls.url = f"http://127.0.0.1:{port}"
        with open(deployment.config_file, "a") as f:
            f.write(f"\n[network]\novn_nb_connection = {cls.nb.nb_remote}\n"
                    f"reconcile_interval = {RECONCILE_INTERVAL}\n"
                    "gateway_chassis = chassis1\n")
        with open(deployment.db_config_file, "a") as f:
            f.write(f"[api]\npublic_url = {cls.url}\n[identity]\nbcrypt_rounds = 4\n")
        deployment.manage("bootstrap", "--admin-password", PASSWORD)
        deployment.start("strato-conductor")
        deployment.start("strato-network")
        deployment.start("strato-api")
        deployment.ping("strato-conductor")
        deployment.ping("strato-network")
        with deployment.logs_on_failure():
            fixtures.wait_until(cls._healthy, 60, "strato-api answers /healthcheck")
        cls.token = cls._issue_token()

    @classmethod
    def _healthy(cls) -> bool:
        try:
            return cls.request("GET", "/healthcheck")[0] == 200
        except OSError:
            return False

    @classmethod
    def request(cls, method: str, path: str, body: dict | None = None,
                token: str | None = None) -> tuple[int, dict, object]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if token:
            headers["X-Auth-Token"] = token
        req = urllib.request.Request(cls.url + path, data=data, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw, status, resp_headers = resp.read(), resp.status, resp.headers
        except urllib.error.HTTPError as error:
            raw, status, resp_headers = error.read(), error.code, error.headers
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:  # /healthcheck answers text
            payload = raw.decode()
        return status, {k.lower(): v for k, v in resp_headers.items()}, payload

    @classmethod
    def _issue_token(cls) -> str:
        status, headers, body = cls.request("POST", "/identity/v3/auth/tokens", {
            "auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"name": "Default"}, "password": PASSWORD}}},
                "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}})
        assert status == 201, body
        return headers["x-subject-token"]

    def api(self, method: str, path: str, body: dict | None = None,
            expected: int = 200) -> object:
        status, _headers, payload = self.request(method, "/network/v2.0" + path, body,
                                                 self.token)
        self.assertEqual(expected, status, payload)
        return payload

    def create(self, collection: str, key: str, values: dict) -> dict:
        return self.api("POST", f"/{collection}", {key: values}, 201)[key]

    def nbctl(self, *args: str) -> str:
        return self.nb.nbctl(*args)

    def nat_types(self) -> set[str]:
        """The types of the NB's NAT rows ("snat", "dnat_and_snat", ...)."""
        return set(self.nbctl("--bare", "--columns=type", "list", "NAT").split())

    def eventually(self, predicate, what: str) -> None:
        with self.deployment.logs_on_failure():
            fixtures.wait_until(predicate, 30, what, interval=0.1)

    def test_topology_reaches_ovn_and_leaves_again(self) -> None:
        ext = self.create("networks", "network", {
            "name": "public", "router:external": True, "provider:network_type": "flat",
            "provider:physical_network": "physnet1"})
        self.create("subnets", "subnet", {"network_id": ext["id"], "cidr": "172.24.4.0/24",
                                          "ip_version": 4})
        net = self.create("networks", "network", {"name": "private"})
        subnet = self.create("subnets", "subnet", {"network_id": net["id"],
                                                   "cidr": "10.0.0.0/24", "ip_version": 4})
        port = self.create("ports", "port", {"network_id": net["id"], "dns_name": "vm1"})
        sg = self.create("security-groups", "security_group", {"name": "web"})
        self.create("security-group-rules", "security_group_rule", {
            "security_group_id": sg["id"], "direction": "ingress", "ethertype": "IPv4",
            "protocol": "tcp", "port_range_min": 22, "port_range_max": 22,
            "remote_ip_prefix": "0.0.0.0/0"})
        self.api("PUT", f"/ports/{port['id']}", {"port": {"security_groups": [sg["id"]]}})
        router = self.create("routers", "router", {"name": "r1"})
        self.api("PUT", f"/routers/{router['id']}", {"router": {
            "external_gateway_info": {"network_id": ext["id"]}}})
        self.api("PUT", f"/routers/{router['id']}/add_router_interface",
                 {"subnet_id": subnet["id"]})
        fip = self.create("floatingips", "floatingip", {"floating_network_id": ext["id"]})
        self.api("PUT", f"/floatingips/{fip['id']}", {"floatingip": {"port_id": port["id"]}})

        self.eventually(lambda: port["id"] in self.nbctl("show"), "the port's LSP")
        self.eventually(lambda: "tcp.dst == 22" in self.nbctl("list", "ACL"), "the ACL")
        self.eventually(lambda: self.nat_types() == {"snat", "dnat_and_snat"},
                        "SNAT and the floating IP's NAT")
        self.assertIn(fip["floating_ip_address"], self.nbctl("list", "NAT"))

        self.api("PUT", f"/floatingips/{fip['id']}", {"floatingip": {"port_id": None}})
        self.eventually(lambda: self.nat_types() == {"snat"}, "the floating IP's NAT gone")
        self.api("DELETE", f"/floatingips/{fip['id']}", expected=204)
        self.api("PUT", f"/routers/{router['id']}/remove_router_interface",
                 {"subnet_id": subnet["id"]})
        self.api("DELETE", f"/routers/{router['id']}", expected=204)
        self.api("DELETE", f"/ports/{port['id']}", expected=204)
        self.api("DELETE", f"/security-groups/{sg['id']}", expected=204)
        self.eventually(lambda: port["id"] not in self.nbctl("show")
                        and "tcp.dst == 22" not in self.nbctl("list", "ACL")
                        and not self.nbctl("list", "Logical_Router").strip(),
                        "the port, ACL and router gone")

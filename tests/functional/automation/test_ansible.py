"""The stock openstack.cloud Ansible collection (from the ``ansible`` package on PyPI,
unpatched) against a private cloud on the fake driver with the network and dns agents:
a playbook that builds what a tenant's automation builds (keypair, network, subnet,
router with a gateway and an interface, security group and rule, a server with a
floating IP, a zone and a recordset) runs twice, the second time changing nothing;
its teardown runs twice too, and leaves nothing of the project's behind.

Needs ansible-playbook beside the test's Python (the test extras install it) and OVN's
ovsdb-server for the network agent: skipped without them, failed under
STRATO_TEST_REQUIRE_BACKENDS."""
import os
import re
import shutil
import subprocess
import sys
import unittest

from tests import backends
from tests.functional.fixtures import ovn, private_cloud

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, "playbook.yml")
PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1Rf3aG3dWbXp0E2N6k9J0mXq8x0yC3V8"
              "5nQYx0e1Zs deployer@strato")
RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+"
                   r"failed=(\d+)", re.MULTILINE)
PLAYBOOK_TIMEOUT = 600


def _ansible_playbook() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    path = beside if os.path.exists(beside) else shutil.which("ansible-playbook")
    if path is None:
        backends.backend_missing("ansible-playbook is not installed (pip install ansible)")
    return path


class AnsibleRerunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.ansible_playbook = _ansible_playbook()
        ovn.require("ovsdb-server", "ovsdb-tool")
        cls.nb = ovn.Northbound()
        cls.addClassCleanup(cls.nb.cleanup)
        cls.nb.start()
        cls.cloud = private_cloud.Cloud(agents=("strato-network", "strato-dns"),
                                        extra_config=(
            f"[network]\novn_nb_connection = {cls.nb.nb_remote}\n"
            "gateway_chassis = chassis1\n"))
        cls.addClassCleanup(cls.cloud.stop)
        cls.cloud.start()
        cls.clouds_yaml = cls.cloud.clouds_yaml()
        cls.make_public_network()

    @classmethod
    def make_public_network(cls) -> None:
        status, body = cls.cloud.request("POST", "/network/v2.0/networks", {"network": {
            "name": "public", "router:external": True, "shared": False,
            "provider:network_type": "flat", "provider:physical_network": "physnet1"}})
        assert status == 201, body
        status, body = cls.cloud.request("POST", "/network/v2.0/subnets", {"subnet": {
            "network_id": body["network"]["id"], "cidr": "172.24.4.0/24",
            "ip_version": 4, "gateway_ip": "172.24.4.1", "enable_dhcp": False}})
        assert status == 201, body

    def play(self, state: str) -> tuple[int, int]:
        """Run the playbook with ``state``: (changed, failed) of its recap."""
        env = {**os.environ, "OS_CLIENT_CONFIG_FILE": self.clouds_yaml,
               "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_HOME": os.path.join(self.cloud.deployment.state_path, "ansible")}
        result = subprocess.run(
            [self.ansible_playbook, "-i", "localhost,", "-c", "local", PLAYBOOK,
             "-e", f"ansible_python_interpreter={sys.executable}",
             "-e", f"state={state}", "-e", f"public_key='{PUBLIC_KEY}'"],
            capture_output=True, text=True, env=env, timeout=PLAYBOOK_TIMEOUT,
            stdin=subprocess.DEVNULL)
        recap = RECAP.search(result.stdout)
        self.assertIsNotNone(recap, result.stdout[-4000:] + result.stderr[-2000:])
        _ok, changed, unreachable, failed = map(int, recap.groups())
        self.assertEqual((0, 0), (unreachable, failed), result.stdout[-6000:])
        return changed, failed

    def project_resources(self) -> dict[str, list[str]]:
        """The names of what the demo project holds, but its default security group."""
        status, projects = self.cloud.request("GET", "/identity/v3/projects?name=demo")
        project = projects["projects"][0]["id"]
        listed = {}
        for key, path in (
                ("servers", f"/compute/v2.1/servers?all_tenants=1&project_id={project}"),
                ("networks", f"/network/v2.0/networks?project_id={project}"),
                ("subnets", f"/network/v2.0/subnets?project_id={project}"),
                ("ports", f"/network/v2.0/ports?project_id={project}"),
                ("routers", f"/network/v2.0/routers?project_id={project}"),
                ("floatingips", f"/network/v2.0/floatingips?project_id={project}"),
                ("security_groups", f"/network/v2.0/security-groups?project_id={project}"),
                ("zones", "/dns/v2/zones")):
            headers = {"X-Auth-All-Projects": "true"} if key == "zones" else None
            status, body = self.cloud.request("GET", path, headers=headers)
            self.assertEqual(200, status, body)
            listed[key] = sorted(item.get("name") or item.get("floating_ip_address") or
                                 item["id"] for item in body[key]
                                 if item.get("name") != "default")
        demo = self.cloud.token("demo", private_cloud.DEMO_PASSWORD, "demo")
        status, body = self.cloud.request("GET", "/compute/v2.1/os-keypairs", token=demo)
        listed["keypairs"] = [pair["keypair"]["name"] for pair in body["keypairs"]]
        return listed

    def test_a_rerun_changes_nothing_and_the_teardown_leaves_nothing(self) -> None:
        changed, _ = self.play("present")
        self.assertGreater(changed, 0)
        built = self.project_resources()
        self.assertEqual(["app-1"], built["servers"])
        self.assertEqual(1, len(built["floatingips"]))
        self.assertEqual(["app.example."], built["zones"])

        self.assertEqual((0, 0), self.play("present"))
        self.assertEqual(built, self.project_resources())

        self.assertGreater(self.play("absent")[0], 0)
        self.assertEqual((0, 0), self.play("absent"))
        left = {key: names for key, names in self.project_resources().items() if names}
        self.assertEqual({}, left)


if __name__ == "__main__":
    unittest.main()

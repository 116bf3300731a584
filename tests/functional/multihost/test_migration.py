"""Real tiny guests moving between two hypervisor hosts (fixtures/hypervisor.py): a
live migration there and back while a "guest" on the other host pings it (its IP and
port kept, its port bound to the new chassis, its QEMU in the new host's libvirtd), and
a cold migration and a cross-host resize, confirmed and reverted, with the disk's own
mark read back after each move.

Needs root, libvirtd, QEMU, OVN/OVS and a kernel to boot: skipped without them, failed
under STRATO_TEST_REQUIRE_BACKENDS. Guests run under TCG: each boot takes a while.
"""
import re
import signal
import subprocess
import tempfile
import time
import unittest

from tests.functional import fixtures
from tests.functional.fixtures import hypervisor, tiny_guest

V21 = "/compute/v2.1"
NET = "/network/v2.0"
BOOT_TIMEOUT = 180
MOVE_TIMEOUT = 240
LEASE = re.compile(r"STRATO-TINY-LEASE eth0 (\S+)/")
DISK_MARK = re.compile(r"(STRATO-TINY-DISK \S+) (written|seen)")
PING = re.compile(r"(\d+) packets transmitted, (\d+) packets received")
MICROVERSION = {"OpenStack-API-Version": "compute 2.60"}


class MigrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # a resize must leave the host, as the test follows it across
        cls.cluster = hypervisor.MultiHostCloud(
            2, "[compute]\nallow_resize_to_same_host = false\n")
        cls.addClassCleanup(cls.cluster.cleanup)
        images = tempfile.TemporaryDirectory(prefix="strato-tiny-")
        cls.addClassCleanup(images.cleanup)
        files = tiny_guest.build_image(images.name)
        cls.cluster.start()
        cls.cloud = cls.cluster.cloud
        cls.host_a, cls.host_b = cls.cluster.hosts
        cls.image_id = tiny_guest.upload(cls.cloud, files)
        status, net = cls.cloud.request("POST", f"{NET}/networks",
                                        {"network": {"name": "moves"}})
        assert status == 201, net
        cls.net_id = net["network"]["id"]
        status, subnet = cls.cloud.request("POST", f"{NET}/subnets", {"subnet": {
            "network_id": cls.net_id, "cidr": "10.79.0.0/24", "ip_version": 4}})
        assert status == 201, subnet

    # -- helpers ------------------------------------------------------------------------

    def request(self, method: str, path: str, body: dict | None = None,
                expected: int = 200) -> dict:
        status, answer = self.cloud.request(method, path, body, headers=MICROVERSION)
        self.assertEqual(expected, status, answer)
        return answer

    def wait(self, what: str, timeout: float, predicate):
        with self.cloud.deployment.logs_on_failure(self.host_a.name), \
                self.cloud.deployment.logs_on_failure(self.host_b.name):
            return fixtures.wait_until(predicate, timeout, what, interval=1)

    def server(self, server_id: str) -> dict:
        server = self.request("GET", f"{V21}/servers/{server_id}")["server"]
        self.assertNotEqual("ERROR", server["status"], server)
        return server

    def settled(self, server_id: str, status: str, host: str) -> dict | None:
        server = self.server(server_id)
        ok = server["status"] == status and server["OS-EXT-SRV-ATTR:host"] == host
        return server if ok else None

    def console(self, server_id: str) -> str:
        return self.request("POST", f"{V21}/servers/{server_id}/action",
                            {"os-getConsoleOutput": {}})["output"]

    def boot(self, name: str, host: hypervisor.Hypervisor, flavor: str = "1") -> dict:
        server = self.request("POST", f"{V21}/servers", {"server": {
            "name": name, "imageRef": self.image_id, "flavorRef": flavor,
            "availability_zone": f"nova:{host.name}",
            "networks": [{"uuid": self.net_id}]}}, 202)["server"]
        self.addCleanup(self.cloud.request, "DELETE", f"{V21}/servers/{server['id']}")
        self.wait(f"{name} ACTIVE on {host.name}", BOOT_TIMEOUT,
                  lambda: self.settled(server["id"], "ACTIVE", host.name))
        self.wait(f"{name} leased its address", BOOT_TIMEOUT,
                  lambda: LEASE.search(self.console(server["id"])))
        return self.server(server["id"])

    def domains(self, host: hypervisor.Hypervisor) -> list[str]:
        return subprocess.run(["virsh", "-q", "-c", host.libvirt_uri, "list", "--uuid"],
                              capture_output=True, text=True, check=True).stdout.split()

    def pinger(self, host: hypervisor.Hypervisor) -> str:
        """A namespace on ``host`` with a port of the network in the guests' default
        security group (which lets its members in): the guests' peer."""
        port = self.request("POST", f"{NET}/ports", {"port": {
            "network_id": self.net_id, "binding:host_id": host.name}}, 201)["port"]
        self.addCleanup(self.cloud.request, "DELETE", f"{NET}/ports/{port['id']}")
        return host.add_vm(port["id"][:8], port["id"], port["mac_address"],
                           port["fixed_ips"][0]["ip_address"] + "/24")

    def disk_mark(self, server_id: str, state: str) -> str:
        found = self.wait(f"the disk mark {state}", BOOT_TIMEOUT, lambda: [
            mark for mark, seen in DISK_MARK.findall(self.console(server_id))
            if seen == state])
        return found[-1]

    # -- live migration -----------------------------------------------------------------

    def live_migrate(self, server_id: str, source: hypervisor.Hypervisor,
                     dest: hypervisor.Hypervisor, named: bool) -> float:
        started = time.monotonic()
        self.request("POST", f"{V21}/servers/{server_id}/action", {"os-migrateLive": {
            "host": dest.name if named else None, "block_migration": "auto"}}, 202)
        self.wait(f"live migration to {dest.name}", MOVE_TIMEOUT,
                  lambda: self.settled(server_id, "ACTIVE", dest.name))
        took = time.monotonic() - started
        self.assertIn(server_id, self.domains(dest))
        self.assertNotIn(server_id, self.domains(source))
        return took

    def test_live_migration_keeps_the_address_and_the_pings(self) -> None:
        server = self.boot("roamer", self.host_a)
        (address,) = [a["addr"] for a in server["addresses"]["moves"]]
        (port,) = self.request("GET", f"{NET}/ports?device_id={server['id']}")["ports"]
        netns = self.pinger(self.host_b)
        self.wait("the guest answers pings", 60, lambda: " 0% packet loss" in
                  self.host_b.exec(netns, "busybox", "ping", "-c", "1", "-W", "1", address,
                                   check=False))
        stream = subprocess.Popen(["ip", "netns", "exec", netns, "busybox", "ping", "-i",
                                   "0.2", "-W", "1", address], stdout=subprocess.PIPE,
                                  text=True)
        try:
            took = self.live_migrate(server["id"], self.host_a, self.host_b, named=True)
        finally:
            stream.send_signal(signal.SIGINT)  # busybox ping prints its summary then
            out = stream.communicate(timeout=10)[0]
        sent, received = map(int, PING.search(out).groups())
        print(f"live migration {self.host_a.name} -> {self.host_b.name}: {took:.1f}s, "
              f"{sent - received} of {sent} pings lost")
        self.assertLessEqual(sent - received, 10, out)
        moved = self.server(server["id"])
        self.assertEqual([address], [a["addr"] for a in moved["addresses"]["moves"]])
        (after,) = self.request("GET", f"{NET}/ports?device_id={server['id']}")["ports"]
        self.assertEqual((port["id"], port["mac_address"], self.host_b.name),
                         (after["id"], after["mac_address"], after["binding:host_id"]))
        self.wait("the port bound on the new chassis", 30,
                  lambda: self.cluster.chassis_of(port["id"]) == self.host_b.name)
        migrations = self.request("GET", f"{V21}/os-migrations?instance_uuid="
                                  f"{server['id']}")["migrations"]
        self.assertEqual([("live-migration", "completed")],
                         [(m["migration_type"], m["status"]) for m in migrations])

        took = self.live_migrate(server["id"], self.host_b, self.host_a, named=False)
        print(f"live migration back (host chosen by the scheduler): {took:.1f}s")
        out = self.host_b.exec(netns, "busybox", "ping", "-c", "3", "-W", "2", address,
                               check=False)
        self.assertGreater(int(PING.search(out).group(2)), 0, out)

    # -- cold migration and resize -------------------------------------------------------

    def test_cold_migration_and_resize_carry_the_disk_across(self) -> None:
        server = self.boot("mover", self.host_a)
        mark = self.disk_mark(server["id"], "written")
        action = f"{V21}/servers/{server['id']}/action"

        self.request("POST", action, {"migrate": {"host": self.host_b.name}}, 202)
        self.wait("VERIFY_RESIZE on the other host", MOVE_TIMEOUT,
                  lambda: self.settled(server["id"], "VERIFY_RESIZE", self.host_b.name))
        self.request("POST", action, {"confirmResize": None}, 204)
        self.wait("ACTIVE after confirm", MOVE_TIMEOUT,
                  lambda: self.settled(server["id"], "ACTIVE", self.host_b.name))
        self.assertEqual(mark, self.disk_mark(server["id"], "seen"))
        self.assertNotIn(server["id"], self.domains(self.host_a))

        self.request("POST", action, {"resize": {"flavorRef": "2"}}, 202)
        self.wait("resized (VERIFY_RESIZE)", MOVE_TIMEOUT,
                  lambda: self.settled(server["id"], "VERIFY_RESIZE", self.host_a.name))
        self.request("POST", action, {"revertResize": None}, 202)
        self.wait("reverted to the old host and flavor", MOVE_TIMEOUT,
                  lambda: self.settled(server["id"], "ACTIVE", self.host_b.name))
        self.assertEqual("m1.nano", self.server(server["id"])["flavor"]["original_name"])
        self.assertNotIn(server["id"], self.domains(self.host_a))

"""A libvirt server booted with a network leases, by DHCP from OVN, the address the API
reports for it: printed on its console log, read through os-getConsoleOutput.

Everything real and private: api, conductor, scheduler, the network agent on an OVN
central of its own, and the compute agent with the libvirt driver (TCG) plugging the
guest's tap into an Open vSwitch of the test's own (ovn.HostChassis: a private db and a
bridge br-t<tag> in the host's network namespace, where libvirt creates taps, with its
own ovn-controller). One real guest, the tiny image, which runs udhcpc on eth0.

Needs root, libvirtd (``STRATO_TEST_LIBVIRT_URI``, default qemu:///system), QEMU and
OVN/OVS: skipped without them, failed under STRATO_TEST_REQUIRE_BACKENDS; skipped too
without a host kernel to boot, or while another ovs-vswitchd (a running stack's) holds
the host namespace's userspace datapath.
"""
import re
import tempfile
import time
import unittest

from tests import backends
from tests.functional import fixtures
from tests.functional.fixtures import ovn, private_cloud, processes, tiny_guest

V21 = "/compute/v2.1"
NET = "/network/v2.0"
BUILD_TIMEOUT = 120
LEASE_TIMEOUT = 120
LEASE = re.compile(r"STRATO-TINY-LEASE eth0 (\S+)")


def _require_backends() -> None:
    backends.require_root("an Open vSwitch datapath and libvirt's taps")
    tiny_guest.require_libvirtd()
    ovn.require("ovn-northd", "ovn-controller", "ovs-vswitchd", "ovsdb-server", "ovs-appctl")


class LibvirtNetworkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        _require_backends()
        images = tempfile.TemporaryDirectory(prefix="strato-tiny-")
        cls.addClassCleanup(images.cleanup)
        files = tiny_guest.build_image(images.name)
        cls.central = ovn.Central()
        cls.addClassCleanup(cls.central.cleanup)
        cls.central.start()
        cls.cloud = private_cloud.Cloud("libvirt")
        host = cls.cloud.deployment.host
        # ovn-controller claims a port whose requested-chassis (its binding host) is it
        cls.chassis = ovn.HostChassis(cls.central, host)
        cls.addClassCleanup(cls.chassis.cleanup)
        cls.chassis.start()
        cls.cloud.extra_config = (
            f"[libvirt]\nvirt_type = qemu\nconnection_uri = {tiny_guest.URI}\n"
            f"[compute]\novsdb_connection = {cls.chassis.remote}\n"
            # unique domain names on a libvirtd a running stack may share
            f"instance_name_template = {host}-%08x\n"
            f"integration_bridge = {cls.chassis.bridge}\n")
        cls.addClassCleanup(cls.cloud.stop)
        cls.cloud.start()
        deployment = cls.cloud.deployment
        processes.start(deployment, "strato-network", host, {
            "network.conf": f"[network]\novn_nb_connection = {cls.central.nb_remote}\n"})
        deployment.wait_for_states({"strato-network": "up"})
        cls.image_id = tiny_guest.upload(cls.cloud, files)

    # -- helpers ------------------------------------------------------------------------

    def request(self, method: str, path: str, body: dict | None = None,
                expected: int = 200) -> dict:
        status, answer = self.cloud.request(method, path, body)
        self.assertEqual(expected, status, answer)
        return answer

    def wait(self, what: str, timeout: float, predicate):
        with self.cloud.deployment.logs_on_failure():
            return fixtures.wait_until(predicate, timeout, what, interval=0.5)

    def server(self, server_id: str) -> dict | None:
        status, body = self.cloud.request("GET", f"{V21}/servers/{server_id}")
        if status == 404:
            return None
        self.assertEqual(200, status, body)
        self.assertNotEqual("ERROR", body["server"]["status"], body)
        return body["server"]

    def active(self, server_id: str) -> dict | None:
        server = self.server(server_id)
        return server if server and server["status"] == "ACTIVE" else None

    def console(self, server_id: str) -> str:
        return self.request("POST", f"{V21}/servers/{server_id}/action",
                            {"os-getConsoleOutput": {}})["output"]

    def ports_of(self, server_id: str) -> list[dict]:
        return self.request("GET", f"{NET}/ports?device_id={server_id}")["ports"]

    def forget_guest(self, server_id: str) -> None:
        """A failed test must not leave its guest running in the shared libvirtd."""
        if self.cloud.request("GET", f"{V21}/servers/{server_id}")[0] == 404:
            return
        self.cloud.request("DELETE", f"{V21}/servers/{server_id}")
        conn = tiny_guest.libvirt.open(tiny_guest.URI)
        try:
            domain = conn.lookupByUUIDString(server_id)
            domain.destroy()
            domain.undefine()
        except tiny_guest.libvirt.libvirtError:
            pass
        finally:
            conn.close()

    # -- the test -----------------------------------------------------------------------

    def test_console_shows_the_lease_of_the_address_the_api_reports(self) -> None:
        net = self.request("POST", f"{NET}/networks", {"network": {"name": "leases"}},
                           201)["network"]
        self.request("POST", f"{NET}/subnets", {"subnet": {
            "network_id": net["id"], "cidr": "10.77.0.0/24", "ip_version": 4}}, 201)
        started = time.monotonic()
        server_id = self.request("POST", f"{V21}/servers", {"server": {
            "name": "leaser", "imageRef": self.image_id, "flavorRef": "1",
            "networks": [{"uuid": net["id"]}]}}, 202)["server"]["id"]
        self.addCleanup(self.forget_guest, server_id)

        server = self.wait("server ACTIVE", BUILD_TIMEOUT, lambda: self.active(server_id))
        active_in = time.monotonic() - started
        (address,) = server["addresses"]["leases"]
        (port,) = self.ports_of(server_id)
        self.assertEqual((address["addr"], address["OS-EXT-IPS-MAC:mac_addr"]),
                         (port["fixed_ips"][0]["ip_address"], port["mac_address"]))
        tap = "tap" + port["id"][:11]
        self.assertEqual(port["id"], self.chassis.external_ids(tap)["iface-id"])

        lease = self.wait("a DHCP lease on the console", LEASE_TIMEOUT,
                          lambda: LEASE.search(self.console(server_id)))
        leased_in = time.monotonic() - started
        self.assertEqual(f"{address['addr']}/24", lease.group(1), self.console(server_id))
        self.wait("port ACTIVE (OVN bound it)", 30,
                  lambda: self.ports_of(server_id)[0]["status"] == "ACTIVE")
        print(f"server ACTIVE in {active_in:.1f}s, lease of {lease.group(1)} on its "
              f"console after {leased_in:.1f}s")

        self.request("DELETE", f"{V21}/servers/{server_id}", expected=204)
        self.wait("server deleted", 60, lambda: self.server(server_id) is None)
        self.assertEqual([], self.ports_of(server_id))
        self.assertEqual([], self.chassis.ports(self.chassis.bridge))
        self.wait("switch port gone from OVN", 30, lambda: port["id"] not in self.central.nbctl(
            "--bare", "--columns=name", "list", "Logical_Switch_Port"))

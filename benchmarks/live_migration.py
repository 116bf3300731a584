"""Live migration of a tiny TCG guest between two hypervisor hosts through the API,
beside ``virsh migrate --live --copy-storage-all`` of the same domain between the same
two libvirtds, measured in the same run.

Starts a private two-host cloud (tests/functional/fixtures/hypervisor.py: each host a
network namespace with its own libvirtd, Open vSwitch and ovn-controller, as
devstack/add-host.sh makes them; api, conductor, scheduler, network agent and a compute
agent per host), boots m1.nano with the tiny image on host A and a "guest" namespace
on host B that pings it every 0.1 s. Then ``--runs`` times:
- API: ``os-migrateLive`` A -> B, timed from the POST to ACTIVE on B;
- virsh: the same domain B -> A with ``virsh migrate --live --p2p --copy-storage-all``
  (its disks made empty on A first, paths moved with ``--xml``), timed around virsh,
  then moved back A -> B the same way (not timed) and handed back to Strato by an API
  live migration B -> A (not timed), so every run starts on A.
Counts the pings lost during each timed migration.

    sudo .venv/bin/python benchmarks/live_migration.py [--runs 3]

Prints the median seconds and pings lost of each, and the ratio API / virsh.
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from services.compute.virt.libvirt import config, disk  # noqa: E402
from tests.functional.fixtures import hypervisor, tiny_guest, wait_until  # noqa: E402

V21 = "/compute/v2.1"
NET = "/network/v2.0"
HEADERS = {"OpenStack-API-Version": "compute 2.60"}
TIMEOUT = 240


class Bench:
    def __init__(self, cluster: hypervisor.MultiHostCloud) -> None:
        self.cluster = cluster
        self.cloud = cluster.cloud
        self.a, self.b = cluster.hosts

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        status, answer = self.cloud.request(method, path, body, headers=HEADERS)
        if status >= 400:
            raise RuntimeError(f"{method} {path}: {status} {answer}")
        return answer or {}

    def setup(self, files: dict[str, str]) -> None:
        self.image = tiny_guest.upload(self.cloud, files)
        self.net = self.api("POST", f"{NET}/networks", {"network": {"name": "b"}})[
            "network"]["id"]
        self.api("POST", f"{NET}/subnets", {"subnet": {
            "network_id": self.net, "cidr": "10.81.0.0/24", "ip_version": 4}})
        server = self.api("POST", f"{V21}/servers", {"server": {
            "name": "bench", "imageRef": self.image, "flavorRef": "1",
            "availability_zone": f"nova:{self.a.name}",
            "networks": [{"uuid": self.net}]}})["server"]
        self.server = server["id"]
        self.wait_on(self.a)
        wait_until(lambda: "STRATO-TINY-LEASE" in self.api(
            "POST", f"{V21}/servers/{self.server}/action",
            {"os-getConsoleOutput": {}})["output"], TIMEOUT, "lease", interval=1)
        shown = self.api("GET", f"{V21}/servers/{self.server}")["server"]
        self.address = shown["addresses"]["b"][0]["addr"]
        port = self.api("POST", f"{NET}/ports", {"port": {
            "network_id": self.net, "binding:host_id": self.b.name}})["port"]
        self.pinger = self.b.add_vm("bench", port["id"], port["mac_address"],
                                    port["fixed_ips"][0]["ip_address"] + "/24")
        wait_until(lambda: " 0% packet loss" in self.b.exec(
            self.pinger, "busybox", "ping", "-c", "1", "-W", "1", self.address,
            check=False), 60, "pings answered", interval=1)

    def wait_on(self, host: hypervisor.Hypervisor) -> None:
        def there() -> bool:
            server = self.api("GET", f"{V21}/servers/{self.server}")["server"]
            if server["status"] == "ERROR":
                raise RuntimeError(f"server in ERROR: {server.get('fault')}")
            return server["status"] == "ACTIVE" and \
                server["OS-EXT-SRV-ATTR:host"] == host.name
        wait_until(there, TIMEOUT, f"ACTIVE on {host.name}", interval=0.1)

    def api_migration(self, dest: hypervisor.Hypervisor) -> float:
        started = time.monotonic()
        self.api("POST", f"{V21}/servers/{self.server}/action", {"os-migrateLive": {
            "host": dest.name, "block_migration": "auto"}})
        self.wait_on(dest)
        return time.monotonic() - started

    def virsh_migration(self, source: hypervisor.Hypervisor,
                        dest: hypervisor.Hypervisor) -> float:
        """The domain moved by hand: empty disks of the same size on ``dest`` (at the
        directory dest's agent would use), its files copied, paths moved in the XML."""
        source_dir = os.path.join(source.dir, "instances", self.server)
        dest_dir = os.path.join(dest.dir, "instances", self.server)
        os.makedirs(dest_dir, exist_ok=True)
        for name in ("kernel", "ramdisk", "guest.json"):
            subprocess.run(["cp", os.path.join(source_dir, name), dest_dir], check=True)
        size = disk.info(os.path.join(source_dir, "disk"))["virtual-size"]
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                        os.path.join(dest_dir, "disk"), str(size)], check=True)
        xml = subprocess.run(["virsh", "-c", source.libvirt_uri, "dumpxml", "--migratable",
                              self.server], capture_output=True, text=True,
                             check=True).stdout
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as moved:
            moved.write(config.moved_domain_xml(xml, source_dir, dest_dir, dest.name))
            moved.flush()
            started = time.monotonic()
            subprocess.run(["virsh", "-c", source.libvirt_uri, "migrate", "--live", "--p2p",
                            "--persistent", "--undefinesource", "--copy-storage-all",
                            "--migrate-disks", "vda", "--xml", moved.name,
                            "--persistent-xml", moved.name,
                            "--migrateuri", f"tcp://{dest.address}", self.server,
                            f"qemu+tcp://{dest.address}/system"], check=True,
                           capture_output=True)
            return time.monotonic() - started

    def lost_pings(self, move) -> tuple[float, int]:
        stream = subprocess.Popen(["ip", "netns", "exec", self.pinger, "busybox", "ping",
                                   "-i", "0.1", "-W", "1", self.address],
                                  stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        try:
            seconds = move()
        finally:
            time.sleep(1)
            stream.send_signal(signal.SIGINT)
            out = stream.communicate(timeout=10)[0]
        summary = [line for line in out.splitlines() if "packets transmitted" in line]
        sent, received = (int(word) for word in summary[0].split()[0:4:3])
        return seconds, sent - received


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cluster = hypervisor.MultiHostCloud(2)
    results: dict[str, list[tuple[float, int]]] = {"api": [], "virsh": []}
    with tempfile.TemporaryDirectory(prefix="strato-bench-tiny-") as out:
        files = tiny_guest.build_image(out)
        try:
            cluster.start()
            bench = Bench(cluster)
            bench.setup(files)
            for run in range(args.runs):
                results["api"].append(bench.lost_pings(lambda: bench.api_migration(bench.b)))
                results["virsh"].append(bench.lost_pings(
                    lambda: bench.virsh_migration(bench.b, bench.a)))
                bench.virsh_migration(bench.a, bench.b)
                bench.api_migration(bench.a)
                print(f"run {run + 1}: api {results['api'][-1][0]:.2f}s "
                      f"({results['api'][-1][1]} pings lost), virsh "
                      f"{results['virsh'][-1][0]:.2f}s ({results['virsh'][-1][1]} lost)",
                      flush=True)
        finally:
            cluster.cleanup()
    api = statistics.median(s for s, _ in results["api"])
    virsh = statistics.median(s for s, _ in results["virsh"])
    print(f"live migration through the API: {api:.2f}s median, "
          f"{statistics.median(lost for _, lost in results['api'])} pings lost (0.1 s apart)")
    print(f"virsh migrate --live --copy-storage-all: {virsh:.2f}s median, "
          f"{statistics.median(lost for _, lost in results['virsh'])} pings lost")
    print(f"ratio API / virsh: {api / virsh:.2f}")


if __name__ == "__main__":
    main()

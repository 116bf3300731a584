"""The storm the fault tests share: a private cloud (api, conductor, scheduler, a
fake-driver compute agent that keeps its guests across restarts, the network and dns
agents, a private OVN northbound), servers created and deleted on a network from
several client threads while a fault strikes, and the check that every server ends
ACTIVE, ERROR with a fault or deleted, and that nothing is left once all are deleted."""
import concurrent.futures
import json
import os
import threading
import time
import unittest
from collections.abc import Callable

import sqlalchemy as sa

from tests.functional import fixtures
from tests.functional.fixtures import ovn, private_cloud

V21 = "/compute/v2.1"
NET = "/network/v2.0"
STORM = 50
CLIENTS = 4
SETTLE_TIMEOUT = 120
# A reconcile pass caught in a call whose reply the fault lost waits out the RPC timeout
# (60 s) before the next pass cleans up.
LEAK_TIMEOUT = 90
MICROVERSION = {"OpenStack-API-Version": "compute 2.60"}


AGENTS = ("strato-scheduler", "strato-conductor", "strato-compute", "strato-network",
          "strato-dns")


class StormTestCase(unittest.TestCase):
    """Subclasses may give the cloud a broker of their own (``broker``)."""

    broker: tuple[str, list[str]] | None = None
    storm_size = STORM  # benchmarks/chaos.py runs bigger storms

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.nb = ovn.Northbound()
        cls.addClassCleanup(cls.nb.cleanup)
        cls.nb.start()
        cls.cloud = private_cloud.Cloud(agents=AGENTS[3:], broker=cls.broker, extra_config=(
            "fake_keep_guests = true\n"
            f"[network]\novn_nb_connection = {cls.nb.nb_remote}\nreconcile_interval = 5\n"
            "[dns]\nbackends = builtin,ovn\nreconcile_interval = 5\n"
            # Flows of a killed conductor are done again after 10 s, not 5 minutes.
            "[conductor]\ninterrupted_task_timeout = 10\nrecover_interval = 3\n"
            "scheduler_timeout = 8\n"))
        cls.addClassCleanup(cls.cloud.stop)
        cls.cloud.start()
        project = cls.cloud.request("GET", "/identity/v3/projects?name=admin")[1]
        project_id = project["projects"][0]["id"]
        cls.cloud.request("PUT", f"{V21}/os-quota-sets/{project_id}", {"quota_set": {
            "instances": -1, "cores": -1, "ram": -1}})
        cls.network_id = cls.create(f"{NET}/networks", "network", {
            "name": "storm", "dns_domain": "storm.test."})["id"]
        cls.create(f"{NET}/subnets", "subnet", {"network_id": cls.network_id,
                                                "cidr": "10.20.0.0/22", "ip_version": 4})

    @classmethod
    def create(cls, path: str, key: str, body: dict) -> dict:
        status, answer = cls.cloud.request("POST", path, {key: body})
        assert status == 201, answer
        return answer[key]

    # -- the storm --

    def boot(self, name: str) -> str | None:
        """A create; None when the request itself failed (the api worker died)."""
        try:
            status, body = self.cloud.request("POST", f"{V21}/servers", {"server": {
                "name": name, "imageRef": self.cloud.image_id, "flavorRef": "1",
                "networks": [{"uuid": self.network_id}]}}, headers=MICROVERSION)
        except OSError:
            return None
        return body["server"]["id"] if status == 202 else None

    def delete(self, server_id: str) -> None:
        try:
            self.cloud.request("DELETE", f"{V21}/servers/{server_id}")
        except OSError:
            pass  # the end state check deletes it again

    def storm(self, prefix: str, strike_after: int, strike: Callable[[], None]) -> None:
        """``storm_size`` creates from CLIENTS threads, every other one deleted at once (during
        its build); ``strike`` (the fault) runs once ``strike_after`` creates were sent."""
        sent, lock, struck = [0], threading.Lock(), threading.Event()

        def client(index: int) -> None:
            for number in range(index, self.storm_size, CLIENTS):
                server_id = self.boot(f"{prefix}-{number}")
                with lock:
                    sent[0] += 1
                    due = sent[0] >= strike_after and not struck.is_set()
                    if due:
                        struck.set()
                if due:
                    strike()
                    self.struck_at = time.monotonic()
                if server_id and number % 2:
                    self.delete(server_id)

        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, range(CLIENTS)))
        self.assertTrue(struck.is_set())

    def servers(self, prefix: str) -> list[dict]:
        status, body = self.cloud.request("GET", f"{V21}/servers/detail?name=^{prefix}-",
                                          headers=MICROVERSION)
        self.assertEqual(200, status, body)
        return body["servers"]

    def settled(self, prefix: str) -> list[dict] | None:
        servers = self.servers(prefix)
        self.moving = [(s["id"], s["status"], s["OS-EXT-STS:task_state"],
                        s["OS-EXT-SRV-ATTR:host"], s["updated"]) for s in servers
                       if s["OS-EXT-STS:task_state"] or s["status"] not in ("ACTIVE", "ERROR")]
        return None if self.moving else servers or [{}]

    # -- what must be left --

    def leaks(self) -> dict[str, object]:
        with sa.create_engine(self.cloud.deployment.database_url,
                              poolclass=sa.pool.NullPool).connect() as db:
            allocations = db.execute(sa.text("SELECT count(*) FROM allocations")).scalar()
        ports = self.cloud.request("GET", f"{NET}/ports?device_owner=compute:nova")[1]
        lsps = [name for name in self.nb.nbctl(
            "--bare", "--columns=name", "list", "Logical_Switch_Port").split()
            if name != "strato-dhcp"]
        network_ports = self.cloud.request(
            "GET", f"{NET}/ports?network_id={self.network_id}")[1]["ports"]
        stray_lsps = set(lsps) - {port["id"] for port in network_ports}
        guests_file = os.path.join(self.cloud.deployment.state_path,
                                   f"fake-guests-{self.cloud.deployment.host}.json")
        with open(guests_file) as f:
            guests = json.load(f)
        dns = self.nb.nbctl("--bare", "--columns=records", "list", "DNS")
        leaks = {"allocations": allocations, "ports": ports["ports"],
                 "ovn ports": sorted(stray_lsps), "guests": sorted(guests),
                 "dns records": "storm.test" in dns and dns}
        return {kind: leak for kind, leak in leaks.items() if leak}

    def check_storm(self, prefix: str, strike: Callable[[], None],
                    recovery_timeout: float = 60) -> None:
        """The storm with ``strike`` a third of the way in, then what must hold.
        ``self.report`` tells how long after the strike every server had settled
        ("recovery", seconds) and what was left once all were deleted ("leaks")."""
        self.report: dict = {"leaks": None, "recovery": None}
        self.storm(prefix, self.storm_size // 3, strike)
        deployment = self.cloud.deployment
        with deployment.logs_on_failure():
            deployment.wait_for_states({name: "up" for name in AGENTS},
                                       timeout=recovery_timeout)
            try:
                servers = fixtures.wait_until(lambda: self.settled(prefix), SETTLE_TIMEOUT,
                                              f"every {prefix} server ACTIVE or ERROR",
                                              interval=1)
            except AssertionError as error:
                raise AssertionError(f"{error}; still moving: {self.moving}") from None
        self.report["recovery"] = time.monotonic() - self.struck_at
        faultless = [s["id"] for s in servers if s.get("status") == "ERROR"
                     and not s.get("fault")]
        self.assertEqual([], faultless, "an ERROR server without a fault")
        for server in self.servers(prefix):
            self.delete(server["id"])
        with deployment.logs_on_failure():
            fixtures.wait_until(lambda: not self.servers(prefix), SETTLE_TIMEOUT,
                                f"every {prefix} server deleted", interval=1)
            found: dict = {}

            def nothing_left() -> bool:
                found.clear()
                found.update(self.leaks())
                return not found

            try:
                fixtures.wait_until(nothing_left, LEAK_TIMEOUT, "nothing left behind",
                                    interval=1)
            except AssertionError as error:
                self.report["leaks"] = sum(len(leak) if isinstance(leak, list) else 1
                                           for leak in found.values())
                raise AssertionError(f"{error}: {found}") from None
        self.report["leaks"] = 0

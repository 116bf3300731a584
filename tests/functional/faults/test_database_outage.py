"""PostgreSQL stopped under load and started again: while it is down every API answers
503 in its own error format (never a 500), and afterwards the same processes serve
again, a new server included, with no service restarted."""
import threading
import time
import unittest

from common import exceptions
from services.api import apis
from services.api.spec import APIError
from tests.functional import fixtures
from tests.functional.fixtures import postgres, private_cloud

# One read per API, each of which needs the database.
READS = {"identity": "/identity/v3/projects", "compute": "/compute/v2.1/servers/detail",
         "network": "/network/v2.0/networks", "image": "/image/v2/images",
         "dns": "/dns/v2/zones"}
OUTAGE = 5.0
RECOVERY_TIMEOUT = 30.0


def expected_503(path: str) -> dict:
    """The body each API's own error format gives a database that is down."""
    api = apis.finder(apis.ALL)(path)
    error = exceptions.DatabaseUnavailable()
    return api.error_body(APIError(503, "Service Unavailable", error.msg, error))


class DatabaseOutageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = postgres.PrivatePostgres()
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.create()
        cls.cloud = private_cloud.Cloud(database="postgresql", server_url=cls.server.url)
        cls.addClassCleanup(cls.cloud.stop)
        cls.cloud.start()

    def read_all(self) -> dict[str, tuple[int, object]]:
        return {api: self.cloud.request("GET", path) for api, path in READS.items()}

    def load(self, stop: threading.Event, seen: list) -> None:
        while not stop.is_set():
            for api, (status, body) in self.read_all().items():
                seen.append((time.monotonic(), api, status, body))

    def test_restart_under_load(self) -> None:
        processes = {p.name: p.popen.pid for p in self.cloud.deployment.processes}
        self.assertEqual({200}, {status for status, _ in self.read_all().values()})
        stop, seen = threading.Event(), []
        loaders = [threading.Thread(target=self.load, args=(stop, seen)) for _ in range(3)]
        for loader in loaders:
            loader.start()
        try:
            time.sleep(1)
            self.server.stop()
            down_at = time.monotonic()
            time.sleep(OUTAGE)
            self.server.start()
            up_at = time.monotonic()
            fixtures.wait_until(
                lambda: {s for _, _, s, _ in seen[-len(READS) * 3:]} == {200},
                RECOVERY_TIMEOUT, "every API serving again")
        finally:
            stop.set()
            for loader in loaders:
                loader.join()
        self.assertEqual([], [(api, status, body) for _, api, status, body in seen
                              if status not in (200, 503)])
        during = [(api, body) for at, api, status, body in seen
                  if down_at + 1 < at < up_at and status == 503]
        self.assertEqual(set(READS), {api for api, _ in during}, "a 503 from every API")
        for api, body in during:
            body = {k: v for k, v in body.items() if k != "request_id"}
            self.assertEqual(expected_503(READS[api]), body, api)
        # The same processes serve and build, without a restart: the compute host,
        # whose heartbeats could not be recorded, reports itself up again.
        self.cloud.deployment.wait_for_states({"strato-compute": "up"})
        self.assertEqual(processes, {p.name: p.popen.pid
                                     for p in self.cloud.deployment.processes
                                     if p.running()})
        status, body = self.cloud.request("POST", "/compute/v2.1/servers", {"server": {
            "name": "after", "imageRef": self.cloud.image_id, "flavorRef": "1",
            "networks": "none"}}, headers={"OpenStack-API-Version": "compute 2.60"})
        self.assertEqual(202, status, body)
        server_id = body["server"]["id"]
        with self.cloud.deployment.logs_on_failure():
            fixtures.wait_until(lambda: self.cloud.request(
                "GET", f"/compute/v2.1/servers/{server_id}")[1]["server"]["status"]
                == "ACTIVE", 60, "the server built after the outage ACTIVE")
        # A database that is down is logged as warnings: nothing is broken in Strato.
        self.assertEqual({}, {p.name: p.errors() for p in self.cloud.deployment.processes
                              if p.errors()})

"""The six services as real processes on a private vhost: ping, liveness, agents without
a database, clean shutdown."""
import time
from collections.abc import Iterable

from common import version
from common.db.types import utcnow
from tests.functional import fixtures

ALL_UP = {binary: "up" for binary in fixtures.SERVICES}


class ServicesTest(fixtures.DeploymentTestCase):
    """All six started once for the class; each test leaves them running."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.processes = {binary: cls.deployment.start(binary) for binary in fixtures.SERVICES}
        cls.wait_for_pings(cls.deployment.host, fixtures.SERVICES)

    @classmethod
    def wait_for_pings(cls, host: str, binaries: Iterable[str]) -> dict[str, dict[str, str]]:
        return {binary: cls.deployment.ping(binary, host) for binary in binaries}

    def start(self, binary: str, **kwargs) -> fixtures.ServiceProcess:
        process = self.deployment.start(binary, **kwargs)
        self.addCleanup(process.stop)
        return process

    def assert_running(self, process: fixtures.ServiceProcess) -> None:
        self.assertTrue(process.running(),
                        f"{process.name} exited:\n{process.log_tail()}")

    def test_all_six_answer_ping(self) -> None:
        host = self.deployment.host
        answers = self.wait_for_pings(host, fixtures.SERVICES)
        self.assertEqual({binary: {"binary": binary, "host": host,
                                   "version": version.version_string()}
                          for binary in fixtures.SERVICES}, answers)

    def test_all_six_listed_up_with_a_fresh_heartbeat(self) -> None:
        self.deployment.wait_for_states(ALL_UP)
        # Taken before listing: a service listed up was seen at most service_down_time
        # before the listing, so at most that (+1 s of printed rounding) before this.
        before = utcnow()
        rows = self.deployment.services()
        for binary in fixtures.SERVICES:
            row = rows[binary]
            self.assertEqual(("up", fixtures.SERVICES[binary][0], version.version_string()),
                             (row["State"], row["Topic"], row["Version"]), binary)
            age = fixtures.heartbeat_age(row, before)
            self.assertLessEqual(age, fixtures.SERVICE_DOWN_TIME + 1, f"{binary}: {row}")

    def test_killed_agent_goes_down_and_comes_back_up(self) -> None:
        deployment = self.deployment
        deployment.wait_for_states({"strato-compute": "up"})
        self.processes["strato-compute"].kill()
        deployment.wait_for_states({"strato-compute": "down"},
                                   timeout=fixtures.SERVICE_DOWN_TIME + 30)
        self.processes["strato-compute"] = deployment.start("strato-compute")
        deployment.wait_for_states(ALL_UP)

    def test_agents_never_open_the_database(self) -> None:
        # Another host, with only strato.conf (no [database]) and sqlalchemy and
        # common.db made unimportable: heartbeats can only go through the conductor.
        host = fixtures.unique_name("nodb-")
        agents = [self.start(binary, host=host, without_database=True)
                  for binary in fixtures.AGENTS]
        answers = self.wait_for_pings(host, fixtures.AGENTS)
        self.assertEqual({binary: host for binary in fixtures.AGENTS},
                         {binary: answer["host"] for binary, answer in answers.items()})
        self.deployment.wait_for_states({binary: "up" for binary in fixtures.AGENTS},
                                        host=host)
        for process in agents:
            self.assert_running(process)

    def test_sigterm_exits_zero_within_seconds(self) -> None:
        host = fixtures.unique_name("term-")
        binaries = ("strato-api", "strato-scheduler", "strato-compute")
        processes = [self.start(binary, host=host) for binary in binaries]
        self.wait_for_pings(host, binaries)
        for process in processes:
            started = time.monotonic()
            status = process.terminate(timeout=10)
            self.assertEqual(0, status, f"{process.name} after SIGTERM (None: still "
                                        f"running after 10s):\n{process.log_tail()}")
            self.assertLess(time.monotonic() - started, 10)

"""The broker's application stopped for 20 s mid-storm (rabbitmqctl stop_app) and
started again, on a RabbitMQ node of the test's own: every service reconnects by itself
(no restart), heartbeats resume within 30 s, and what was cast during the outage is
delivered or redone by the reconcile loops, so every server ends ACTIVE, ERROR with a
fault, or deleted, and nothing is left behind."""
import time

from tests.functional.faults import storm
from tests.functional.fixtures import rabbit

OUTAGE = 20
RECOVERY = 30


class BrokerOutageTest(storm.StormTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.rabbit = rabbit.PrivateRabbit()
        cls.addClassCleanup(cls.rabbit.cleanup)
        cls.rabbit.start()
        cls.broker = cls.rabbit.broker
        super().setUpClass()

    def outage(self) -> None:
        self.rabbit.stop_app()
        time.sleep(OUTAGE)
        self.rabbit.start_app()

    def test_stop_app_for_20_seconds(self) -> None:
        pids = {p.name: p.pid for p in self.cloud.deployment.processes}
        self.check_storm("broker", self.outage, recovery_timeout=RECOVERY)
        self.assertEqual(pids, {p.name: p.pid for p in self.cloud.deployment.processes
                                if p.running()}, "a service exited")

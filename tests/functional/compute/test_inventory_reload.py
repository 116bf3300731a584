"""A running compute agent picks up new allocation ratios and reserved amounts from its
config file without a restart: at once on SIGHUP, or at its next inventory report when
the file changed."""
import os
import signal

from common import config, context, exceptions
from common.config import CONF
from common.db import session
from common.db.api import placement
from tests.functional import fixtures
from tests.functional.fixtures import processes

SYSTEM = context.get_admin_context()

SIGHUP_HOST = "reload-sighup"  # reports every 60 s (the default)
POLL_HOST = "reload-poll"  # reports every second


class InventoryReloadTest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        deployment = cls.deployment
        deployment.start("strato-conductor")
        cls.agents = {
            SIGHUP_HOST: processes.start(deployment, "strato-compute", SIGHUP_HOST),
            POLL_HOST: processes.start(deployment, "strato-compute", POLL_HOST, {
                "poll.conf": "[compute]\nupdate_resources_interval = 1\n"})}
        CONF.clear()
        config.parse_args(["--config-file", deployment.config_file, "--config-file",
                           deployment.db_config_file], default_config_files=[])
        cls.addClassCleanup(session.dispose_all)

    def wait_for(self, host: str, resource_class: str, **expected: float) -> None:
        def matches() -> bool:
            try:
                inventory = placement.get_inventories(SYSTEM, host).get(resource_class)
            except exceptions.ResourceProviderNotFound:
                return False
            return inventory is not None and all(inventory[key] == value
                                                 for key, value in expected.items())

        fixtures.wait_until(matches, 30, f"{host} {resource_class} inventory {expected}")

    def append_config(self, host: str, text: str) -> None:
        with open(os.path.join(self.deployment.state_path, f"{host}.conf"), "a") as f:
            f.write(text)

    def test_sighup_applies_at_once(self) -> None:
        self.wait_for(SIGHUP_HOST, "VCPU", allocation_ratio=4.0)  # the initial ratio
        self.wait_for(SIGHUP_HOST, "MEMORY_MB", reserved=512)
        self.append_config(SIGHUP_HOST, "\n[compute]\ncpu_allocation_ratio = 3.0\n"
                                        "reserved_host_memory_mb = 1024\n")
        os.kill(self.agents[SIGHUP_HOST].pid, signal.SIGHUP)
        # Well before the next periodic report (60 s after the first).
        self.wait_for(SIGHUP_HOST, "VCPU", allocation_ratio=3.0)
        self.wait_for(SIGHUP_HOST, "MEMORY_MB", reserved=1024)
        self.assertTrue(self.agents[SIGHUP_HOST].running())

    def test_a_changed_file_is_read_at_the_next_report(self) -> None:
        self.wait_for(POLL_HOST, "DISK_GB", allocation_ratio=1.0)
        self.append_config(POLL_HOST, "\n[compute]\ndisk_allocation_ratio = 1.5\n"
                                      "reserved_host_disk_mb = 2048\n")
        self.wait_for(POLL_HOST, "DISK_GB", allocation_ratio=1.5, reserved=2)
        self.assertTrue(self.agents[POLL_HOST].running())

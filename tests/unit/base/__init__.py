"""Base class of the unit tests: a clean global config, fake:// bus and SQLite per test.

oslo.config's global CONF (and the per-process engine and transport caches built from it)
is shared by every test in a pytest process, so each test starts from a fresh parse of
its own config file and leaves no overrides, engines or transports behind.
"""
import os
import tempfile
import time
import unittest
from collections.abc import Callable

from common import config, context, rpc
from common.config import CONF
from common.db import migration, session

# The context of work no caller asked for (agents, periodic tasks, fixtures).
SYSTEM = context.get_admin_context()


class TestCase(unittest.TestCase):
    """Each test gets a temp state_path, ``transport_url = fake://`` and a clean CONF."""

    def setUp(self) -> None:
        super().setUp()
        tempdir = tempfile.TemporaryDirectory(prefix="strato-unit-")
        self.addCleanup(tempdir.cleanup)
        self.state_path = tempdir.name
        self.config_file = os.path.join(self.state_path, "strato.conf")
        # Written to a file rather than set_override: transport_url is registered by
        # oslo.messaging only when the first transport is made, and a parsed file
        # applies to options registered later.
        with open(self.config_file, "w") as f:
            f.write(f"[DEFAULT]\nstate_path = {self.state_path}\n"
                    "transport_url = fake://\nhost = unit-host\n")
        # Cleanups run last-in first-out: transports and engines go before CONF is reset.
        self.addCleanup(CONF.reset)
        self.addCleanup(session.dispose_all)
        self.addCleanup(rpc.cleanup)
        self.parse_config(self.config_file)

    def parse_config(self, *config_files: str) -> None:
        """Parse CONF again from ``config_files`` (a parsed CONF refuses new CLI options)."""
        CONF.clear()
        argv = [arg for path in config_files for arg in ("--config-file", path)]
        config.parse_args(argv, default_config_files=[])

    def wait_until(self, predicate: Callable[[], object], timeout: float = 5,
                   message: str = "condition not met") -> None:
        """Poll ``predicate`` until it is true; fail the test after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                self.fail(f"{message} within {timeout}s")
            time.sleep(0.02)

    def flags(self, group: str | None = None, **overrides: object) -> None:
        """Override options for this test only."""
        for name, value in overrides.items():
            CONF.set_override(name, value, group=group)


class DatabaseTestCase(TestCase):
    """A TestCase whose SQLite database in state_path is migrated to head."""

    def setUp(self) -> None:
        super().setUp()
        migration.sync()

"""Re-reading the agent's config files without a restart.

The mutable options ([compute] allocation ratios, reserved amounts, intervals) follow
the files: the agent calls ``reload_if_changed`` before every inventory report, which
re-reads them (oslo.config mutate_config_files) when a file's mtime or size moved, and
SIGHUP does the same at once.
"""
import glob
import os
import signal
import threading
from collections.abc import Callable

from oslo_config import cfg
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class ConfigWatcher:
    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._lock = threading.Lock()
        self._seen = self._stat()

    def _files(self) -> list[str]:
        files = list(self.conf.config_file or [])
        for directory in self.conf.config_dir or []:
            files.extend(sorted(glob.glob(os.path.join(directory, "*.conf"))))
        return files

    def _stat(self) -> dict[str, tuple[float, int] | None]:
        stamps: dict[str, tuple[float, int] | None] = {}
        for path in self._files():
            try:
                info = os.stat(path)
                stamps[path] = (info.st_mtime, info.st_size)
            except OSError:
                stamps[path] = None
        return stamps

    def reload_if_changed(self) -> bool:
        """Re-read the config files if one changed since last time; True if it did."""
        with self._lock:
            seen = self._stat()
            if seen == self._seen:
                return False
            self._seen = seen
            self._mutate()
            return True

    def reload(self) -> None:
        with self._lock:
            self._seen = self._stat()
            self._mutate()

    def _mutate(self) -> None:
        try:
            self.conf.mutate_config_files()
        except Exception:
            LOG.exception("could not re-read the config files; keeping the old values")
        else:
            LOG.info("config files re-read")

    def install_sighup(self, then: Callable[[], None]) -> bool:
        """On SIGHUP: reload, then ``then()`` on a thread. Main thread only."""
        if threading.current_thread() is not threading.main_thread():
            return False

        def handler(_signum: int, _frame: object) -> None:
            threading.Thread(target=self._reload_then, args=(then,), daemon=True,
                             name="sighup-reload").start()

        signal.signal(signal.SIGHUP, handler)
        return True

    def _reload_then(self, then: Callable[[], None]) -> None:
        self.reload()
        then()

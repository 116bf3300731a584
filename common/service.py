"""The service launcher shared by every console script.

A Service serves its manager over RPC on ``topic`` (server = host), runs the manager's
periodic tasks and a heartbeat, and stops cleanly on SIGTERM: it stops taking messages,
lets in-flight RPCs finish (up to ``graceful_shutdown_timeout``), then returns.
"""
import gc
import signal
import threading
import time
from collections.abc import Callable

from oslo_log import log as logging

from common import context, rpc, version
from common.config import CONF
from common.manager import Manager, Spacing

LOG = logging.getLogger(__name__)

# report(ctxt, host, binary, topic, version): the control services write the registry
# directly, agents send the heartbeat to the conductor.
Reporter = Callable[[context.RequestContext, str, str, str, str], object]  # result unused


class PeriodicRunner:
    """Runs each task on its own daemon thread, every ``spacing`` seconds, until stopped."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def add(self, task: Callable[[context.RequestContext], None], spacing: Spacing,
            run_immediately: bool = True) -> None:
        name = getattr(task, "__qualname__", repr(task))
        thread = threading.Thread(target=self._loop, args=(task, spacing, run_immediately),
                                  name=f"periodic-{name}", daemon=True)
        self._threads.append(thread)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _loop(self, task: Callable, spacing: Spacing, run_immediately: bool) -> None:
        if not run_immediately and self._stop.wait(_seconds(spacing)):
            return
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                task(context.get_admin_context())
            except rpc.TRANSIENT_ERRORS as error:
                LOG.warning("periodic task %s: %s (next period retries)",
                            getattr(task, "__qualname__", task), error)
            except Exception:
                LOG.exception("periodic task %s failed", getattr(task, "__qualname__", task))
            remaining = _seconds(spacing) - (time.monotonic() - started)
            if self._stop.wait(max(remaining, 0)):
                return


def _seconds(spacing: Spacing) -> float:
    return float(spacing() if callable(spacing) else spacing)


class Service:
    def __init__(self, binary: str, topic: str, manager: Manager, report: Reporter,
                 host: str | None = None) -> None:
        self.binary = binary
        self.topic = topic
        self.host = host or CONF.host
        self.manager = manager
        self.report = report
        self.periodic = PeriodicRunner()
        self.server = None
        self._reported_at: float | None = None

    def start(self) -> None:
        self.manager.init_host()
        endpoints = [*self.manager.endpoints(), rpc.BaseEndpoint(self.binary, self.host)]
        self.server = server = rpc.get_server(self.topic, self.host, endpoints)
        server.start()
        self.periodic.add(self._heartbeat, lambda: CONF.report_interval)
        for task, spacing, run_immediately in self.manager.periodic_tasks():
            self.periodic.add(task, spacing, run_immediately)
        self.periodic.start()
        LOG.info("%s %s started on %s, topic %s", self.binary, version.version_string(),
                 self.host, self.topic)

    def stop(self) -> None:
        LOG.info("%s on %s stopping", self.binary, self.host)
        self.periodic.stop()
        if self.server is not None:
            self.server.stop()
            waiter = threading.Thread(target=self.server.wait, daemon=True)
            waiter.start()
            waiter.join(CONF.graceful_shutdown_timeout)
            if waiter.is_alive():
                LOG.warning("in-flight RPCs still running after %ss; exiting anyway",
                            CONF.graceful_shutdown_timeout)
        self.manager.cleanup_host()
        LOG.info("%s on %s stopped", self.binary, self.host)

    def _heartbeat(self, ctxt: context.RequestContext) -> None:
        self.report(ctxt, self.host, self.binary, self.topic, version.version_string())
        previous, self._reported_at = self._reported_at, time.monotonic()
        if previous is not None and self._reported_at - previous > CONF.service_down_time:
            LOG.warning("%s on %s reached the registry again after %.0f s", self.binary,
                        self.host, self._reported_at - previous)
            self.manager.reachable_again(ctxt)


def freeze_startup_objects() -> None:
    """Once per service process, after startup (not in a process that starts many
    services, such as the unit tests): leave what startup made (modules, config,
    engines, the app) out of every later garbage collection. A full collection walks
    every tracked object: the ~200,000 an API worker starts with took about 0.1 s each
    time, a quarter of a bulk create's. Garbage is collected first, never frozen."""
    gc.collect()
    gc.freeze()


def wait_for_signal(*extra: int) -> int:
    """Block until SIGTERM, SIGINT or one of ``extra`` arrives; return its number."""
    received = threading.Event()
    signals: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        signals.append(signum)
        received.set()

    for signum in (signal.SIGTERM, signal.SIGINT, *extra):
        signal.signal(signum, handler)
    while not received.wait(1):
        pass
    return signals[0]


def serve(service: Service) -> None:
    """Run ``service`` until SIGTERM/SIGINT, then shut it down gracefully."""
    service.start()
    freeze_startup_objects()
    signum = wait_for_signal()
    LOG.info("received signal %s", signum)
    service.stop()

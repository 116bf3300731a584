"""strato-api: gunicorn serves the falcon app; its parent answers RPC ping.

The strato-api process forks the gunicorn master first, while it has no threads, and
only then starts its Service (ping + heartbeat). So no process that forks workers ever
has threads that could hold a lock at fork time. Workers make their own DB engines and
RPC transports (both are per process).
Workers write their Prometheus samples to ``[api] metrics_dir`` (prometheus-client's
multiprocess mode) so /metrics, whichever worker answers it, reports them all.
"""
import ctypes
import os
import shutil
import signal
import sys
import time
from typing import Any

from gunicorn.app.base import BaseApplication
from oslo_log import log as logging

from common import config
from common.config import CONF
from common.db.api import services as services_db
from common.service import Service, freeze_startup_objects, wait_for_signal
from services.api import manager

LOG = logging.getLogger(__name__)

METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"


class GunicornServer(BaseApplication):
    def load_config(self) -> None:
        settings = {
            "bind": f"{CONF.api.bind_host}:{CONF.api.bind_port}",
            "workers": CONF.api.workers,
            "worker_class": "gthread",
            "threads": CONF.api.worker_threads,
            "timeout": 120,
            "keepalive": CONF.api.keepalive_timeout,
            "graceful_timeout": int(CONF.graceful_shutdown_timeout),
            "proc_name": "strato-api",
            "accesslog": "-",
            # gunicorn's control socket lives in ~/.gunicorn by default, shared by every
            # instance on the host; Strato does not use it.
            "control_socket_disable": True,
            "child_exit": _forget_worker_metrics,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported here, after prepare_metrics_dir: prometheus_client picks its
        # (multiprocess) value store when it is first imported.
        from services.api import app

        wsgi_app = app.create_app()
        freeze_startup_objects()
        return wsgi_app


def prepare_metrics_dir() -> None:
    """An empty samples directory, named in the environment before prometheus_client
    is imported by anyone (workers inherit it)."""
    path = CONF.api.metrics_dir
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, mode=0o700)
    os.environ[METRICS_ENV] = path


def _forget_worker_metrics(_arbiter: object, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _run_gunicorn() -> None:
    # Die with the parent: a strato-api killed by SIGKILL must not leave gunicorn behind.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    code = 1
    try:
        GunicornServer().run()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os._exit(code)


def _stop_gunicorn(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + CONF.graceful_shutdown_timeout + 10
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def main() -> None:
    conf = config.parse_args(sys.argv[1:])
    logging.setup(conf, "strato")
    prepare_metrics_dir()
    gunicorn_pid = os.fork()
    if gunicorn_pid == 0:
        _run_gunicorn()
    service = Service("strato-api", manager.TOPIC, manager.APIManager(conf.host),
                      services_db.heartbeat)
    service.start()
    signum = wait_for_signal(signal.SIGCHLD)
    if signum == signal.SIGCHLD:
        LOG.error("gunicorn (pid %s) exited; strato-api stops", gunicorn_pid)
    else:
        _stop_gunicorn(gunicorn_pid)
    service.stop()
    sys.exit(1 if signum == signal.SIGCHLD else 0)

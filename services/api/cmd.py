"""strato-api: gunicorn serves the falcon app; the master also answers RPC ping.

The master process runs the Service (ping + heartbeat); workers are forked after it
starts and make their own DB engines and RPC transports (both are per process).
"""
import sys

from gunicorn.app.base import BaseApplication
from oslo_log import log as logging

from common import config
from common.config import CONF
from common.db.api import services as services_db
from common.service import Service
from services.api import app, manager


class GunicornServer(BaseApplication):
    def __init__(self, service: Service) -> None:
        self.service = service
        super().__init__()

    def load_config(self) -> None:
        settings = {
            "bind": f"{CONF.api.bind_host}:{CONF.api.bind_port}",
            "workers": CONF.api.workers,
            "worker_class": "gthread",
            "threads": CONF.api.worker_threads,
            "timeout": 120,
            "graceful_timeout": int(CONF.graceful_shutdown_timeout),
            "proc_name": "strato-api",
            "accesslog": "-",
            "when_ready": lambda _arbiter: self.service.start(),
            "on_exit": lambda _arbiter: self.service.stop(),
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        return app.create_app()


def main() -> None:
    conf = config.parse_args(sys.argv[1:])
    logging.setup(conf, "strato")
    service = Service("strato-api", manager.TOPIC, manager.APIManager(conf.host),
                      services_db.heartbeat)
    GunicornServer(service).run()

"""strato-compute: serve the compute agent on topic 'compute' (server = this host).

With the fake driver, ``[compute] fake_hosts`` adds more hosts served by this same
process, each its own agent (RPC server, heartbeat, inventory): scale tests run tens of
hosts without tens of processes. SIGHUP re-reads the config files and reports every
host's inventory at once.
"""
import sys
from collections.abc import Sequence

from oslo_log import log as logging

from common import config, context, db_access
from common.config import CONF
from common.service import Service, wait_for_signal
from services.compute import config_reload, manager, rpcapi
from services.conductor import rpcapi as conductor_rpcapi

LOG = logging.getLogger(__name__)
BINARY = "strato-compute"


def hosts_to_serve() -> list[str]:
    extra = CONF.compute.fake_hosts if CONF.compute.compute_driver == "fake" else []
    return list(dict.fromkeys([CONF.host, *extra]))


def main(argv: Sequence[str] | None = None) -> None:
    db_access.forbid(BINARY)  # an agent: the database only through the conductor
    conf = config.parse_args(sys.argv[1:] if argv is None else argv)
    logging.setup(conf, "strato")
    watcher = config_reload.ConfigWatcher(conf)
    report = conductor_rpcapi.heartbeat_reporter()
    managers = [manager.ComputeManager(host, config=watcher) for host in hosts_to_serve()]
    services = [Service(BINARY, rpcapi.TOPIC, m, report, host=m.host) for m in managers]
    def report_all() -> None:
        for each in managers:
            each.report_resources(context.get_admin_context())

    watcher.install_sighup(report_all)
    for service in services:
        service.start()
    signum = wait_for_signal()
    LOG.info("received signal %s", signum)
    for service in services:
        service.stop()

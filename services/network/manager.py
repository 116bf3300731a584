"""Server side of the network agent's RPC API. Agents never open the database: desired
state comes from the conductor, OVN is written through the driver."""
from typing import Any

import oslo_messaging as messaging
import prometheus_client

from common import context
from common.config import CONF
from common.manager import Manager, periodic
from services.conductor import rpcapi as conductor_rpcapi
from services.network import port_status, reconcile
from services.network.ovn import driver as ovn_driver
from services.network.ovn import idl


class NetworkManager(Manager):
    target = messaging.Target(version="1.0")

    def __init__(self, host: str, driver: ovn_driver.OvnDriver | None = None) -> None:
        """``driver`` by default: the real northbound at [network] ovn_nb_connection."""
        super().__init__(host)
        self.driver = driver
        self.reporter: port_status.StatusReporter | None = None
        self.reconciler: reconcile.Reconciler | None = None
        self.metrics: Any = None  # the metrics HTTP server, when [network] metrics_port

    def init_host(self) -> None:
        if CONF.network.metrics_port:
            self.metrics, _thread = prometheus_client.start_http_server(
                CONF.network.metrics_port, addr=CONF.network.metrics_host)
        conductor_rpcapi.wait_for_conductor(context.get_admin_context())
        conductor = conductor_rpcapi.NetworkConductorAPI()
        self.reporter = port_status.StatusReporter(conductor)
        if self.driver is None:
            self.driver = idl.IdlDriver(CONF.network.ovn_nb_connection,
                                        CONF.network.ovn_nb_timeout)
        self.reconciler = reconcile.Reconciler(self.driver, conductor, self.reporter.report)
        self.reporter.start()
        self.reconciler.start()
        # Connects in the background: the agent serves RPC before OVN is up, and the
        # first full pass runs as soon as it is.
        self.driver.start(on_port_up=self.reporter.port_up,
                          on_connected=self.reconciler.request_full)

    def cleanup_host(self) -> None:
        for part in (self.driver, self.reconciler, self.reporter):
            if part is not None:
                part.stop()
        if self.metrics is not None:
            self.metrics.shutdown()
            self.metrics.server_close()

    def sync(self, ctxt: context.RequestContext, resources: list[Any]) -> None:
        """Realize the current state of ``resources`` [(kind, id)] in OVN (idempotent)."""
        assert self.reconciler is not None  # init_host made it; RPC starts after
        self.reconciler.request(resources)

    @periodic(lambda: CONF.network.reconcile_interval, run_immediately=True)
    def reconcile_all(self, ctxt: context.RequestContext) -> None:
        assert self.reconciler is not None
        self.reconciler.reconcile_all()

"""Server side of the dns agent's RPC API. Agents never open the database.

The agent owns the backends ([dns] backends): it starts them, applies what the api casts
(``sync_zone``, ``sync_network``), follows port and floating IP notifications, and
reconciles every backend with the database every [dns] reconcile_interval seconds.
"""
import oslo_messaging as messaging

from common import context, rpc
from common.config import CONF
from common.manager import Manager, periodic
from services.conductor import rpcapi as conductor_rpcapi
from services.conductor.rpcapi import DNSConductorAPI
from services.dns import backends
from services.dns.notifications import NotificationEndpoint
from services.dns.reconcile import Reconciler

LISTENER_POOL = "strato-dns"


class DNSManager(Manager):
    """Version history: 1.0 - sync_zone, sync_network."""

    target = messaging.Target(version="1.0")

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.backends = backends.load()
        self.reconciler: Reconciler | None = None
        self.listener: messaging.MessageHandlingServer | None = None

    def init_host(self) -> None:
        for backend in self.backends:
            backend.start()
        conductor_rpcapi.wait_for_conductor(context.get_admin_context())
        self.reconciler = Reconciler(self.backends, DNSConductorAPI(),
                                     report_delay=CONF.dns.active_delay)
        self.reconciler.start()
        self.listener = rpc.get_notification_listener(
            [NotificationEndpoint(self.reconciler)], pool=LISTENER_POOL)
        self.listener.start()

    def cleanup_host(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener.wait()
        if self.reconciler is not None:
            self.reconciler.stop()
        for backend in self.backends:
            backend.stop()

    def sync_zone(self, ctxt: context.RequestContext, zone_id: str) -> None:
        assert self.reconciler is not None  # init_host made it; RPC starts after
        self.reconciler.request_zones([zone_id])

    def sync_network(self, ctxt: context.RequestContext, network_id: str | None = None) -> None:
        assert self.reconciler is not None
        self.reconciler.request_networks(None if network_id is None else [network_id])

    @periodic(lambda: CONF.dns.reconcile_interval, run_immediately=True)
    def reconcile(self, ctxt: context.RequestContext) -> None:
        assert self.reconciler is not None
        self.reconciler.request_full()

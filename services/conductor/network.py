"""The conductor's network endpoint: the network agent's road to the database
(namespace "network"). Client side: services.conductor.rpcapi.NetworkConductorAPI."""
from typing import Any

import oslo_messaging as messaging
from oslo_log import log as logging

from common import context, rpc
from common.config import CONF
from common.db.api import network_state

LOG = logging.getLogger(__name__)
NAMESPACE = "network"


class NetworkEndpoint:
    """Version history: 1.0 - get_network_state, update_port_status."""

    target = messaging.Target(namespace=NAMESPACE, version="1.0")

    def __init__(self) -> None:
        self._notifier: messaging.Notifier | None = None

    def get_network_state(self, ctxt: context.RequestContext, seeds: list | None = None,
                          scopes: list | None = None) -> dict[str, Any]:
        """Everything, or the scopes ``seeds`` affect plus ``scopes``
        (see common.db.api.network_state.snapshot)."""
        return network_state.snapshot(ctxt, seeds, scopes)

    def update_port_status(self, ctxt: context.RequestContext,
                           statuses: dict[str, str]) -> None:
        """Record port statuses OVN reported; each change is a port.update.end."""
        for port in network_state.set_port_statuses(ctxt, statuses):
            self._notify(ctxt, "port.update.end", {"port": port})

    def _notify(self, ctxt: context.RequestContext, event_type: str, payload: dict) -> None:
        try:
            if self._notifier is None:
                self._notifier = rpc.get_notifier(f"network.{CONF.host}")
            self._notifier.info(ctxt, event_type, payload)
        except Exception:  # a lost notification must not fail the status update
            LOG.exception("could not send %s", event_type)

"""The dns agent's listener on the notifications topic: ports and floating IPs change DNS.

Payloads, as Neutron sends them (and services/network is to emit):

- ``port.create.end`` / ``port.update.end``: ``{"port": {"id", "network_id", ...}}``;
  a bulk create lists them all: ``{"ports": [{"id", "network_id", ...}, ...]}``
- ``port.delete.end``: ``{"port_id": id}`` (``"network_id"`` beside it when known), or
  ``{"port": {...}}``
- ``floatingip.{create,update,delete}.end``: ``{"floatingip": {"id", ...}}`` or
  ``{"floatingip_id": id}``
- ``network.{update,delete}.end``: ``{"network": {"id", ...}}`` or ``{"network_id": id}``

Only ids are read: the database, through the conductor, says what the records become.
"""
from typing import Any

import oslo_messaging as messaging
from oslo_log import log as logging

from common import context
from services.dns.reconcile import Reconciler

LOG = logging.getLogger(__name__)

EVENT_PATTERN = r"^(port|floatingip|network)\.(create|update|delete)\.end$"


def subject(event_type: str, payload: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(resource type, resource id, network id) an event is about; ids may be None."""
    resource = event_type.split(".", 1)[0]
    found = payload.get(resource)
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    resource_id = body.get("id") or payload.get(f"{resource}_id")
    if resource == "network":
        return resource, resource_id, resource_id
    return resource, resource_id, body.get("network_id") or payload.get("network_id")


def subjects(event_type: str,
             payload: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """``subject`` of each resource an event is about: every one a bulk create lists,
    else the one."""
    resource = event_type.split(".", 1)[0]
    listed = payload.get(f"{resource}s")
    if isinstance(listed, list):
        return [subject(event_type, {resource: item}) for item in listed]
    return [subject(event_type, payload)]


class NotificationEndpoint:
    filter_rule = messaging.NotificationFilter(event_type=EVENT_PATTERN)

    def __init__(self, reconciler: Reconciler) -> None:
        self.reconciler = reconciler

    def info(self, ctxt: context.RequestContext, publisher_id: str, event_type: str,
             payload: dict[str, Any], metadata: dict[str, Any]) -> None:
        if event_type.startswith("network."):
            # A network's dns_domain moves every port's records.
            self.reconciler.request_full()
            return
        for resource, resource_id, network_id in subjects(event_type, payload):
            LOG.debug("%s about %s %s", event_type, resource, resource_id)
            if resource_id is not None:
                self.reconciler.request_resource(resource, resource_id, network_id)
            else:
                LOG.warning("%s without a %s id: %s", event_type, resource, payload)

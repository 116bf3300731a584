"""The conductor's DNS endpoint: the dns agent's road to the database (namespace "dns").

Client side: services.conductor.rpcapi.DNSConductorAPI.
"""
import oslo_messaging as messaging

from common import context
from common.db.api import dns_network, dns_sync
from common.dns.snapshots import Network, Zone

NAMESPACE = "dns"


class DNSEndpoint:
    """Version history: 1.0 - get_zones, zones_synced, purge_zone, get_networks,
    sync_managed, sync_all_managed."""

    target = messaging.Target(namespace=NAMESPACE, version="1.0")

    def get_zones(self, ctxt: context.RequestContext,
                  zone_ids: list[str] | None = None) -> list[Zone]:
        return dns_sync.get_zones(ctxt, zone_ids)

    def zones_synced(self, ctxt: context.RequestContext, results: list[dict]) -> None:
        dns_sync.zones_synced(ctxt, results)

    def purge_zone(self, ctxt: context.RequestContext, zone_id: str) -> None:
        dns_sync.purge_zone(ctxt, zone_id)

    def get_networks(self, ctxt: context.RequestContext,
                     network_ids: list[str] | None = None) -> list[Network]:
        return dns_network.network_records(ctxt, network_ids)

    def sync_managed(self, ctxt: context.RequestContext, resource_type: str,
                     resource_id: str) -> list[str]:
        return dns_network.sync_managed(ctxt, resource_type, resource_id)

    def sync_all_managed(self, ctxt: context.RequestContext) -> list[str]:
        return dns_network.sync_all_managed(ctxt)

"""Client side of the dns agent's RPC API: what the api casts after a DNS change."""
from common import context, rpc, topics

TOPIC = topics.DNS


class DNSAgentAPI:
    """Version history: 1.0 - sync_zone, sync_network."""

    VERSION = "1.0"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION)

    def sync_zone(self, ctxt: context.RequestContext, zone_id: str) -> None:
        """Apply zone ``zone_id`` (created, changed, or marked for deletion) everywhere."""
        self.client.cast(ctxt, "sync_zone", zone_id=zone_id)

    def sync_network(self, ctxt: context.RequestContext, network_id: str | None = None) -> None:
        """Apply the internal names of one network (every network when None) to OVN."""
        self.client.cast(ctxt, "sync_network", network_id=network_id)

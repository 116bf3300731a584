"""The one cast a DNS write ends with: the dns agent applies the change to every
backend (within a second or two) and reports back through the conductor, which flips
the zone and its recordsets to ACTIVE."""
import falcon

from services.api import handlers
from services.dns.rpcapi import DNSAgentAPI


def sync_zone(req: falcon.Request, zone_id: str) -> None:
    DNSAgentAPI().sync_zone(handlers.ctx(req), zone_id)


def sync_network(req: falcon.Request, network_id: str | None) -> None:
    DNSAgentAPI().sync_network(handlers.ctx(req), network_id)

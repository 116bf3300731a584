"""What the conductor hands the dns agent (common.db.api.dns_sync, dns_network), as
typed values: zones with the recordsets they serve, and tenant networks' internal names.
Plain data, so the agent needs no database layer to read them."""
from typing import TypedDict


class RecordSet(TypedDict):
    name: str           # FQDN with the trailing dot
    type: str           # A, AAAA, CNAME, MX, NS, SOA, ...
    ttl: int
    records: list[str]  # master-file text of each record


class Zone(TypedDict):
    """A zone as the conductor hands it out (common.db.api.dns_sync.get_zones)."""

    id: str
    name: str
    type: str           # PRIMARY, SECONDARY or FORWARD
    serial: int
    ttl: int
    masters: list[str]  # "address:port": AXFR sources (SECONDARY), resolvers (FORWARD)
    action: str
    status: str
    recordsets: list[RecordSet]


class Network(TypedDict):
    """A tenant network's internal names (common.db.api.dns_network.network_records)."""

    id: str
    records: dict[str, str]  # "web.example.org" -> "10.0.0.5 fd00::5"

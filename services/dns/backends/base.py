"""The one interface every DNS backend implements, and the data it is handed.

A backend holds zones (the built-in server, BIND9), tenant networks' internal names
(OVN's DNS table), or both; the half it does not hold keeps these no-op defaults.
Every ``apply_*``/``remove_*`` is idempotent: the reconciler calls them again and again,
and a backend compares what it has with what it is given and repairs the difference.
"""
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


class Backend:
    """A place where DNS data lives; the dns agent keeps it equal to the database."""

    name = "base"
    holds_zones = False
    holds_networks = False

    def start(self) -> None:
        """Connect or start serving; called once when the agent starts."""

    def stop(self) -> None:
        """Disconnect or stop serving; called once when the agent stops."""

    def zone_names(self) -> set[str]:
        """Names of the zones this backend holds for Strato."""
        return set()

    def apply_zone(self, zone: Zone) -> int | None:
        """Make the backend hold exactly ``zone``; return the serial it now serves when
        it knows it (for a SECONDARY zone: the serial transferred from the masters)."""
        return None

    def remove_zone(self, name: str) -> None:
        """Make sure the backend no longer holds zone ``name``."""

    def network_ids(self) -> set[str]:
        """Ids of the networks this backend holds internal names of."""
        return set()

    def apply_network(self, network: Network) -> None:
        """Make the backend answer exactly ``network``'s internal names inside it."""

    def remove_network(self, network_id: str) -> None:
        """Make sure the backend no longer answers names for ``network_id``."""

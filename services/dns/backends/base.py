"""The one interface every DNS backend implements, and the data it is handed.

A backend holds zones (the built-in server, BIND9), tenant networks' internal names
(OVN's DNS table), or both; the half it does not hold keeps these no-op defaults.
Every ``apply_*``/``remove_*`` is idempotent: the reconciler calls them again and again,
and a backend compares what it has with what it is given and repairs the difference.
"""
from common.dns.snapshots import Network, Zone


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

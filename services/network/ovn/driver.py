"""The interface the network agent's manager and reconciler use to reach the OVN
northbound database: connect, read what Strato owns, write one batch of changes, and
hear when switch ports go up or down. ``idl.IdlDriver`` is the real one, ``fake``
keeps the rows in memory for unit tests."""
import abc
from collections.abc import Callable

from services.network.ovn import nb
from services.network.ovn.nb_actions import Changes

# port id, up
PortUpCallback = Callable[[str, bool], None]


class OvnDriver(abc.ABC):
    @property
    @abc.abstractmethod
    def connected(self) -> bool:
        """Whether reads and writes can work now."""

    @abc.abstractmethod
    def wait_connected(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for a connection; whether there is one."""

    @abc.abstractmethod
    def start(self, on_port_up: PortUpCallback | None = None,
              on_connected: Callable[[], None] | None = None) -> None:
        """Start connecting; returns at once. ``on_connected`` runs once connected,
        ``on_port_up`` whenever a Strato switch port goes up or down."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Disconnect; no callback runs afterwards."""

    @abc.abstractmethod
    def read(self) -> nb.Actual:
        """Every row and port group membership Strato owns (OvnNorthboundUnavailable
        when not connected)."""

    @abc.abstractmethod
    def ports_up(self, port_ids: set[str]) -> dict[str, bool]:
        """The ``up`` column of those of ``port_ids`` that are Strato switch ports."""

    @abc.abstractmethod
    def apply(self, changes: Changes, actual: nb.Actual) -> None:
        """Write ``changes`` (made against ``actual``) in one transaction: all or none,
        OvnRowMissing when a row they need is gone."""

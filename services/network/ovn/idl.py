"""The network agent's northbound driver on a real OVN: an ovsdbapp IDL connection, reads
of its in-memory replica, batched writes, and the port-up events."""
import threading
import uuid
from collections.abc import Callable
from typing import Any

from oslo_log import log as logging
from ovsdbapp.backend.ovs_idl import connection, event, idlutils
from ovsdbapp.schema.ovn_northbound import impl_idl

from common import exceptions
from services.network.ovn import nb, nb_actions
from services.network.ovn.driver import OvnDriver, PortUpCallback

LOG = logging.getLogger(__name__)


class _PortUpEvent(event.RowEvent):
    """A Strato switch port was created up, or went up or down.

    A port created down, or whose ``up`` goes from unset to false (northd's first word
    on a new port), tells nothing: new ports start DOWN in the database, and the
    periodic pass corrects the rest. Matching those too would copy every new port and
    send its status to the conductor, which a burst of thousands pays for.
    """

    def __init__(self, callback: PortUpCallback) -> None:
        super().__init__((self.ROW_CREATE, self.ROW_UPDATE), "Logical_Switch_Port", None)
        self.callback = callback

    def matches(self, event: str, row: Any, old: Any = None) -> bool:
        """ovsdbapp's own formats both rows for a debug line on every match, whatever
        the log level (0.7 ms a switch port here: most of a second for 1,000 new ports)."""
        return (event in self.events and row._table.name == self.table
                and self.match_fn(event, row, old))

    def match_fn(self, event: str, row: Any, old: Any = None) -> bool:
        if not nb.owned(row) or row.type == "localnet":
            return False
        if event == self.ROW_CREATE:
            return _is_up(row)
        return hasattr(old, "up") and _is_up(old) != _is_up(row)

    def run(self, event: str, row: Any, old: Any) -> None:
        self.callback(row.name, _is_up(row))


def _is_up(row: Any) -> bool:
    return bool(row.up and row.up[0])


class _Idl(connection.OvsdbIdl):
    """An IDL that hands row changes to ovsdbapp's event handler (its own thread)."""

    def __init__(self, remote: str, helper: Any) -> None:
        super().__init__(remote, helper)
        self.notify_handler = event.RowEventHandler()
        self.read_cache: nb.ReadCache = {}

    def notify(self, event: str, row: Any, updates: Any = None) -> None:
        self.read_cache.pop(row.uuid, None)  # converted again by the next read
        self.notify_handler.notify(event, row, updates)

    def cooperative_yield(self) -> None:
        """ovsdbapp sleeps 0 s per row update, for green threads; the agent has none,
        and on a busy host every such yield costs a time slice (1000 rows: seconds)."""


class IdlDriver(OvnDriver):
    """Connects in the background and keeps trying, so the agent starts (and answers RPC)
    before OVN does."""

    def __init__(self, remote: str, timeout: float, retry_interval: float = 2.0) -> None:
        self.remote = remote
        self.timeout = timeout
        self.retry_interval = retry_interval
        self.api: impl_idl.OvnNbApiIdlImpl | None = None
        self._connected = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def start(self, on_port_up: PortUpCallback | None = None,
              on_connected: Callable[[], None] | None = None) -> None:
        """Start connecting; returns at once. ``on_connected`` runs once connected."""
        self._thread = threading.Thread(target=self._connect_loop, name="ovn-nb-connect",
                                        args=(on_port_up, on_connected), daemon=True)
        self._thread.start()

    def _connect_loop(self, on_port_up: PortUpCallback | None,
                      on_connected: Callable[[], None] | None) -> None:
        while not self._stopping.is_set():
            try:
                self._connect(on_port_up)
            except Exception as error:
                LOG.warning("OVN northbound at %s is not reachable (%s); retrying in %ss",
                            self.remote, error, self.retry_interval)
                self._stopping.wait(self.retry_interval)
                continue
            self._connected.set()
            LOG.info("connected to OVN northbound at %s", self.remote)
            if on_connected is not None:
                on_connected()
            return

    def _connect(self, on_port_up: PortUpCallback | None) -> None:
        helper = idlutils.get_schema_helper(self.remote, "OVN_Northbound")
        helper.register_all()
        idl = _Idl(self.remote, helper)
        if on_port_up is not None:
            idl.notify_handler.watch_event(_PortUpEvent(on_port_up))
        # ovsdbapp keeps the connection in a class attribute (first one wins): a class of
        # its own per driver lets a process (a test run) connect more than once.
        api_class = type("StratoNbApi", (impl_idl.OvnNbApiIdlImpl,),
                         {"_ovsdb_connection": None})
        try:
            self.api = api_class(connection.Connection(idl, self.timeout))
        except Exception:
            idl.notify_handler.shutdown()
            raise

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout)
        if self.api is not None:
            self._connected.clear()
            self.api.ovsdb_connection.stop(timeout=5)
            self.api.idl.notify_handler.shutdown()
            self.api = None

    def _api(self) -> impl_idl.OvnNbApiIdlImpl:
        if not self.connected:
            raise exceptions.OvnNorthboundUnavailable(remote=self.remote)
        return self.api

    def read(self) -> nb.Actual:
        api = self._api()
        with api.ovsdb_connection.lock:
            return nb.read(api.tables, api.idl.read_cache)

    def ports_up(self, port_ids: set[str]) -> dict[str, bool]:
        api = self._api()
        with api.ovsdb_connection.lock:
            return {lsp.name: bool(lsp.up and lsp.up[0])
                    for lsp in api.tables["Logical_Switch_Port"].rows.values()
                    if lsp.name in port_ids and nb.owned(lsp)}

    def apply(self, changes: nb_actions.Changes, actual: nb.Actual) -> None:
        existing: dict[tuple[str, str], uuid.UUID] = {
            ident: row.uuid for ident, row in actual.rows.items() if row.uuid is not None}
        nb_actions.apply(self._api(), changes, existing)

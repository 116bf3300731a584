"""An OVN northbound driver that keeps Strato's rows in memory, for unit tests of the
reconciler and the agent: what OVSDB would do with the same changes (children live and
die with their parent, port group members and weak references drop out with the rows
they name, a write that needs a missing row fails whole), and a port's ``up`` set by
the test as ovn-controller would."""
import copy
import threading
import uuid
from collections.abc import Callable

from common import exceptions
from services.network.ovn import nb, rows
from services.network.ovn.driver import OvnDriver, PortUpCallback
from services.network.ovn.nb_actions import Changes
from services.network.ovn.rows import Ref, Row

LSP = "Logical_Switch_Port"


class FakeOvnDriver(OvnDriver):
    remote = "fake:"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._actual = nb.Actual()
        self._up: dict[str, bool] = {}
        self._connected = False
        self._on_port_up: PortUpCallback | None = None

    # -- the driver interface --

    @property
    def connected(self) -> bool:
        return self._connected

    def wait_connected(self, timeout: float) -> bool:
        return self._connected

    def start(self, on_port_up: PortUpCallback | None = None,
              on_connected: Callable[[], None] | None = None) -> None:
        self._on_port_up = on_port_up
        self._connected = True
        if on_connected is not None:
            on_connected()

    def stop(self) -> None:
        self._connected = False
        self._on_port_up = None

    def read(self) -> nb.Actual:
        self._check_connected()
        with self._lock:
            return self._copy(self._actual)

    def ports_up(self, port_ids: set[str]) -> dict[str, bool]:
        self._check_connected()
        with self._lock:
            return {port_id: self._up.get(port_id, False) for port_id in port_ids
                    if (LSP, port_id) in self._actual.rows}

    def apply(self, changes: Changes, actual: nb.Actual) -> None:
        self._check_connected()
        with self._lock:
            state = self._copy(self._actual)
            for member in changes.del_members:
                state.members.discard(member)
            for row in changes.deletes:
                _delete(state, row.ident)
            for row in sorted(changes.creates, key=lambda r: rows.depth(r.table)):
                _create(state, row)
            for row, columns in changes.updates:
                current = state.rows.get(row.ident)
                if current is not None:
                    state.rows[row.ident] = _with(current, {**current.columns, **{
                        column: _resolved(state, value) for column, value in columns.items()}})
            for member in changes.add_members:
                _require(state, "Port_Group", member.port_group, "a port group membership")
                _require(state, LSP, member.port, "a port group membership")
                state.members.add(member)
            self._actual = state
            newly_up = [row.key for row in changes.creates
                        if row.table == LSP and self._up.get(row.key)]
        for port_id in newly_up:
            self._port_event(port_id, True)

    # -- what tests do to the database behind the agent's back --

    def delete(self, table: str, key: str) -> None:
        """Delete a row (and its children), as ``ovn-nbctl`` by hand would."""
        with self._lock:
            _delete(self._actual, (table, key))

    def set_port_up(self, port_id: str, up: bool) -> None:
        """ovn-controller bound (or unbound) the port."""
        with self._lock:
            changed = self._up.get(port_id, False) != up
            self._up[port_id] = up
            exists = (LSP, port_id) in self._actual.rows
        if changed and exists:
            self._port_event(port_id, up)

    def _port_event(self, port_id: str, up: bool) -> None:
        if self._on_port_up is not None:
            self._on_port_up(port_id, up)

    def _check_connected(self) -> None:
        if not self._connected:
            raise exceptions.OvnNorthboundUnavailable(remote=self.remote)

    @staticmethod
    def _copy(actual: nb.Actual) -> nb.Actual:
        result = nb.Actual()
        result.rows = dict(actual.rows)  # rows are frozen: sharing them is safe
        result.members = set(actual.members)
        return result


def _create(state: nb.Actual, row: Row) -> None:
    """Insert ``row``; a named row that exists already is updated (may_exist)."""
    if row.parent is not None:
        _require(state, rows.PARENT_COLUMN[row.table][0], row.parent,
                 f"{row.table} {row.key}")
    existing = state.rows.get(row.ident)
    row_uuid = existing.uuid if existing is not None else uuid.uuid4()
    columns = {column: _resolved(state, value) for column, value in row.columns.items()}
    state.rows[row.ident] = Row(row.table, row.key, row.scope, copy.deepcopy(columns),
                                row.parent, row_uuid)


def _resolved(state: nb.Actual, value: object) -> object:
    """A reference column keeps only the rows that exist (a weak reference)."""
    if isinstance(value, list) and any(isinstance(item, Ref) for item in value):
        return [item for item in value if not isinstance(item, Ref)
                or (item.table, item.key) in state.rows]
    return value


def _delete(state: nb.Actual, ident: tuple[str, str]) -> None:
    """Delete a row, its children (no longer referenced, OVSDB collects them), the port
    group memberships and the weak references that name it."""
    if state.rows.pop(ident, None) is None:
        return
    table, key = ident
    for child in [r for r in state.rows.values()
                  if r.parent == key and rows.PARENT_COLUMN.get(r.table, ("",))[0] == table]:
        _delete(state, child.ident)
    state.members = {m for m in state.members
                     if (table, key) not in (("Port_Group", m.port_group), (LSP, m.port))}
    gone = Ref(table, key)
    for other in [r for r in state.rows.values() if any(
            isinstance(v, list) and gone in v for v in r.columns.values())]:
        state.rows[other.ident] = _with(other, {
            column: [item for item in value if item != gone] if isinstance(value, list)
            else value for column, value in other.columns.items()})


def _require(state: nb.Actual, table: str, key: str, needed_by: str) -> None:
    if (table, key) not in state.rows:
        raise exceptions.OvnRowMissing(table=table, key=key, needed_by=needed_by)


def _with(row: Row, columns: dict) -> Row:
    return Row(row.table, row.key, row.scope, columns, row.parent, row.uuid)

"""Writes to the OVN northbound database: small idempotent ovsdbapp commands, batched into
one transaction per reconcile batch.

ovsdbapp's per-table commands cannot set external_ids on NAT or route rows, nor resolve
a reference to a row inserted earlier in the same transaction consistently, so the
reconciler writes through five generic commands instead: create (a row with every
managed column initialised, linked into its parent in the same transaction), update
(the changed columns; a set of strings by its difference, so a security group's address
set of thousands is not rewritten for one new port), delete (unlink from the parent,
then delete), and add/remove a port group member. References are resolved to the row
objects of this transaction or to the existing rows' UUIDs (a weak reference given a
RowView is silently dropped). A create of a named row that someone else made meanwhile
updates it (may_exist); an update or delete of a row that vanished meanwhile does
nothing (if_exists).
"""
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ovs.db import types as ovs_types
from ovsdbapp.backend.ovs_idl import command, idlutils

from common import exceptions
from services.network.ovn import rows
from services.network.ovn.rows import Member, Ref, Row


@dataclass
class Changes:
    """What one reconcile batch writes."""

    creates: list[Row] = field(default_factory=list)
    updates: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)  # (actual, cols)
    deletes: list[Row] = field(default_factory=list)
    add_members: list[Member] = field(default_factory=list)
    del_members: list[Member] = field(default_factory=list)

    def __len__(self) -> int:
        return (len(self.creates) + len(self.updates) + len(self.deletes)
                + len(self.add_members) + len(self.del_members))

    def tables(self) -> Iterable[str]:
        """The table of every change (member changes count as Port_Group)."""
        yield from (row.table for row in self.creates)
        yield from (row.table for row, _cols in self.updates)
        yield from (row.table for row in self.deletes)
        yield from ["Port_Group"] * (len(self.add_members) + len(self.del_members))


class _Batch:
    """Rows of one transaction: the existing ones (by identity) and those inserted."""

    def __init__(self, api: Any, existing: dict[tuple[str, str], uuid.UUID]) -> None:
        self.api = api
        self.existing = existing
        self.inserted: dict[tuple[str, str], Any] = {}

    def find(self, table: str, key: str) -> Any | None:
        row = self.inserted.get((table, key))
        if row is not None:
            return row
        row_uuid = self.existing.get((table, key))
        if row_uuid is not None:
            row = self.api.tables[table].rows.get(row_uuid)
            if row is not None:
                return row
        if table in rows.NAMED:  # made by another writer since we read
            return idlutils.row_by_value(self.api.idl, table, "name", key, None)
        return None

    def value(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.find(value.table, value.key)
        if isinstance(value, list):
            return [item for item in (self.value(v) for v in value) if item is not None]
        return value


class _BatchCommand(command.BaseCommand):
    def __init__(self, api: Any, batch: _Batch) -> None:
        super().__init__(api)
        self.batch = batch


class CreateRow(_BatchCommand):
    def __init__(self, api: Any, batch: _Batch, row: Row) -> None:
        super().__init__(api, batch)
        self.row = row

    def run_idl(self, txn: Any) -> None:
        row = self.row
        idl_row = self.batch.find(row.table, row.key) if row.table in rows.NAMED else None
        if idl_row is None:
            idl_row = txn.insert(self.api.tables[row.table])
            if row.table in rows.NAMED:
                idl_row.name = row.key
        for column, value in row.columns.items():
            setattr(idl_row, column, self.batch.value(value))
        if row.parent is not None:
            parent_table, parent_column = rows.PARENT_COLUMN[row.table]
            parent = self.batch.find(parent_table, row.parent)
            if parent is None:
                raise exceptions.OvnRowMissing(table=parent_table, key=row.parent,
                                               needed_by=f"{row.table} {row.key}")
            parent.addvalue(parent_column, idl_row)
        self.batch.inserted[row.ident] = idl_row


class UpdateRow(_BatchCommand):
    def __init__(self, api: Any, batch: _Batch, row: Row, columns: dict[str, Any]) -> None:
        super().__init__(api, batch)
        self.row = row
        self.columns = columns

    def run_idl(self, txn: Any) -> None:
        idl_row = self.batch.find(self.row.table, self.row.key)
        if idl_row is None:
            return
        columns = self.api.tables[self.row.table].columns
        for column, value in self.columns.items():
            have: Any = self.row.columns.get(column)
            if _string_set(columns[column], value) and _string_set(columns[column], have):
                for item in set(have) - set(value):
                    idl_row.delvalue(column, item)
                for item in set(value) - set(have):
                    idl_row.addvalue(column, item)
            else:
                setattr(idl_row, column, self.batch.value(value))


def _string_set(column: Any, value: Any) -> bool:
    """``value`` is the Python form of ``column``, an OVSDB set of strings of any size."""
    return (column.type.is_set() and column.type.n_max == sys.maxsize
            and column.type.key.type == ovs_types.StringType and isinstance(value, list)
            and all(isinstance(item, str) for item in value))


class DeleteRow(_BatchCommand):
    def __init__(self, api: Any, batch: _Batch, row: Row) -> None:
        super().__init__(api, batch)
        self.row = row

    def run_idl(self, txn: Any) -> None:
        idl_row = self.api.tables[self.row.table].rows.get(self.row.uuid)
        if idl_row is None:
            return
        if self.row.parent is not None:
            parent_table, parent_column = rows.PARENT_COLUMN[self.row.table]
            parent = self.batch.find(parent_table, self.row.parent)
            if parent is not None:
                parent.delvalue(parent_column, idl_row)
        idl_row.delete()


class SetMember(_BatchCommand):
    def __init__(self, api: Any, batch: _Batch, member: Member, present: bool) -> None:
        super().__init__(api, batch)
        self.member = member
        self.present = present

    def run_idl(self, txn: Any) -> None:
        group = self.batch.find("Port_Group", self.member.port_group)
        port = self.batch.find("Logical_Switch_Port", self.member.port)
        if group is None or port is None:
            if self.present:
                missing = ("Port_Group", self.member.port_group) if group is None else (
                    "Logical_Switch_Port", self.member.port)
                raise exceptions.OvnRowMissing(table=missing[0], key=missing[1],
                                               needed_by="a port group membership")
            return
        if self.present:
            group.addvalue("ports", port)
        else:
            group.delvalue("ports", port)


def commands(api: Any, changes: Changes,
             existing: dict[tuple[str, str], uuid.UUID]) -> list[command.BaseCommand]:
    """The commands of ``changes`` in an order that keeps every reference valid: members
    and children leave before their parents, parents arrive before their children, and
    members join last."""
    batch = _Batch(api, existing)
    result: list[command.BaseCommand] = [SetMember(api, batch, m, False)
                                         for m in changes.del_members]
    for row in sorted(changes.deletes, key=lambda r: -rows.depth(r.table)):
        result.append(DeleteRow(api, batch, row))
    # DHCP_Options before the switch ports that point at them, then by depth.
    for row in sorted(changes.creates, key=lambda r: (rows.depth(r.table),
                                                      r.table != "DHCP_Options")):
        result.append(CreateRow(api, batch, row))
    result += [UpdateRow(api, batch, row, columns) for row, columns in changes.updates]
    result += [SetMember(api, batch, m, True) for m in changes.add_members]
    return result


def apply(api: Any, changes: Changes, existing: dict[tuple[str, str], uuid.UUID]) -> None:
    """Write ``changes`` in one transaction (nothing at all when there are none)."""
    if not len(changes):
        return
    with api.transaction(check_error=True) as txn:
        for cmd in commands(api, changes, existing):
            txn.add(cmd)

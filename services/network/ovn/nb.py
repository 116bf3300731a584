"""Reads of the OVN northbound database: the rows Strato owns, as rows.Row values.

Reads walk the IDL's in-memory replica under the connection's lock, so the IDL thread
cannot change it mid-walk. Children are read through their parents (a switch's ports, a
router's NAT rows, a port group's ACLs), and only owned rows count: a foreign row, even
inside a Strato switch, is invisible here and therefore never touched.
"""
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from services.network.ovn import rows
from services.network.ovn.rows import Member, Ref, Row

ROOTS = ("Logical_Switch", "DHCP_Options", "Logical_Router", "Port_Group", "Address_Set")
CHILD_TABLES = {(parent, column): child
                for child, (parent, column) in rows.PARENT_COLUMN.items()}
CHILD_COLUMNS: dict[str, tuple[str, ...]] = {}  # parent table -> columns holding children
for _parent, _column in CHILD_TABLES:
    CHILD_COLUMNS[_parent] = (*CHILD_COLUMNS.get(_parent, ()), _column)
REF_COLUMNS = ("dhcpv4_options", "dhcpv6_options")


class Actual:
    """Owned rows by identity, and the port group memberships of owned ports."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Row] = {}
        self.members: set[Member] = set()

    def scopes(self) -> set[rows.Scope]:
        return {row.scope for row in self.rows.values()} | {m.scope for m in self.members}

    def in_scopes(self, scopes: set[rows.Scope]) -> "Actual":
        subset = Actual()
        subset.rows = {ident: row for ident, row in self.rows.items() if row.scope in scopes}
        subset.members = {member for member in self.members if member.scope in scopes}
        return subset

    def closure(self, seeds: Iterable[Any]) -> set[rows.Scope]:
        """Scopes of the owned rows that name a seed (kind, id) in their external_ids,
        e.g. the router scope of the NAT row of floating IP ("floatingip", id)."""
        seeds = {(str(kind), str(resource_id)) for kind, resource_id in seeds}
        scopes: set[rows.Scope] = {row.scope for row in self.rows.values()
                                   if row.scope in seeds}
        wanted: dict[str, set[str]] = {}
        for kind, resource_id in seeds:
            wanted.setdefault(f"strato:{kind}", set()).add(resource_id)
        for row in self.rows.values():
            ids = row.external_ids()
            if any(ids.get(key) in values for key, values in wanted.items()):
                scopes.add(row.scope)
        ports = {resource_id for kind, resource_id in seeds if kind == "port"}
        for member in self.members:
            if member.port in ports:
                group = self.rows.get(("Port_Group", member.port_group))
                scopes |= {member.scope} | ({group.scope} if group else set())
        return scopes


def value(idl_row: Any, column: str) -> Any:
    """A column of a committed row. python-ovs' getattr rebuilds every set and map from
    Python values again, to merge pending mutations; rows read here have none, and a
    read of thousands of rows would spend seconds on it."""
    datum = idl_row._data.get(column) if idl_row._data is not None else None
    if datum is None or idl_row._changes or idl_row._mutations:
        return getattr(idl_row, column)
    return datum.to_python(idl_row._uuid_to_row)


def uuids(idl_row: Any, column: str) -> list[uuid.UUID]:
    """The UUIDs in a reference column of a committed row, without the rows python-ovs
    would look up and sort (a switch or a port group may hold thousands)."""
    datum = idl_row._data.get(column) if idl_row._data is not None else None
    if datum is None or idl_row._changes or idl_row._mutations:
        return [row.uuid for row in getattr(idl_row, column)]
    return [atom.value for atom in datum.values]


def owned(idl_row: Any) -> bool:
    return value(idl_row, "external_ids").get(rows.OWNER_KEY) == rows.OWNER


@dataclass
class _Converted:
    """What a read needs of one IDL row, in Python values, kept until the row changes.

    References (child rows, port group members, DHCP options) are kept as UUIDs.
    """

    owned: bool
    key: str = ""
    scope: rows.Scope = ("", "")
    columns: dict[str, Any] = field(default_factory=dict)
    children: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    members: list[uuid.UUID] = field(default_factory=list)  # of a port group
    row: Row | None = None  # the Row the last read made of it, references resolved


ReadCache = dict[uuid.UUID, _Converted]


def read(tables: dict[str, Any], cache: ReadCache | None = None) -> Actual:
    """Every owned row and membership in ``tables`` (the IDL's tables; hold the lock).

    ``cache`` keeps the conversion of each row until the IDL reports a change of it
    (driver._Idl.notify drops the entry), so a read costs dictionary lookups for the
    thousands of rows that did not change since the last one.
    """
    cache = {} if cache is None else cache
    actual = Actual()
    keys_by_uuid: dict[uuid.UUID, Ref] = {}
    pending_refs: list[tuple[Row, _Converted]] = []
    for table in ROOTS:
        for idl_row in list(tables[table].rows.values()):
            converted = _convert(cache, table, idl_row)
            if converted.owned:
                _read_tree(actual, tables, cache, table, idl_row, converted, None,
                           keys_by_uuid, pending_refs)
    for row, converted in pending_refs:  # references resolved once every row is known
        refs = {column: [keys_by_uuid.get(target) or Ref("?", str(target))
                         for target in converted.columns[column]] for column in REF_COLUMNS}
        actual.rows[row.ident] = _row(converted, row.table, row.key, row.parent, row.uuid,
                                      refs)
    lsps = tables["Logical_Switch_Port"].rows
    for idl_row in tables["Port_Group"].rows.values():
        group = _convert(cache, "Port_Group", idl_row)
        if group.owned:
            for port_uuid in group.members:
                lsp = lsps.get(port_uuid)
                port = None if lsp is None else _convert(cache, "Logical_Switch_Port", lsp)
                if port is not None and port.owned:
                    actual.members.add(Member(group.key, port.key))
    return actual


def _read_tree(actual: Actual, tables: dict[str, Any], cache: ReadCache, table: str,
               idl_row: Any, converted: _Converted, parent: str | None,
               keys_by_uuid: dict[uuid.UUID, Ref],
               pending_refs: list[tuple[Row, _Converted]]) -> None:
    key = converted.key
    if (table, key) in actual.rows:
        # A duplicate (two writers raced): keep it under a key of its own, so the
        # reconciler deletes it.
        key = f"{key}#dup-{idl_row.uuid}"
    row = actual.rows[(table, key)] = _row(converted, table, key, parent, idl_row.uuid)
    keys_by_uuid[idl_row.uuid] = Ref(table, key)
    if table == "Logical_Switch_Port":
        pending_refs.append((row, converted))
    for column, child_uuids in converted.children.items():
        child_table = CHILD_TABLES[(table, column)]
        for child_uuid in child_uuids:
            child = tables[child_table].rows.get(child_uuid)
            if child is None:
                continue
            child_converted = _convert(cache, child_table, child)
            if child_converted.owned:
                _read_tree(actual, tables, cache, child_table, child, child_converted,
                           row.key, keys_by_uuid, pending_refs)


def _row(converted: _Converted, table: str, key: str, parent: str | None,
         row_uuid: uuid.UUID | None, refs: dict[str, list[Ref]] | None = None) -> Row:
    """The Row of a converted IDL row: the one made last time while its key, parent and
    resolved references are the same (most of thousands are, from one read to the
    next), else a new one."""
    row = converted.row
    if (row is None or row.key != key or row.parent != parent
            or (refs is not None and any(row.columns[c] != v for c, v in refs.items()))):
        columns = converted.columns if refs is None else {**converted.columns, **refs}
        row = converted.row = Row(table, key, converted.scope, columns, parent, row_uuid)
    return row


def _convert(cache: ReadCache, table: str, idl_row: Any) -> _Converted:
    converted = cache.get(idl_row.uuid)
    if converted is None:
        converted = cache[idl_row.uuid] = _converted(table, idl_row)
    return converted


def _converted(table: str, idl_row: Any) -> _Converted:
    external_ids = value(idl_row, "external_ids")
    if external_ids.get(rows.OWNER_KEY) != rows.OWNER:
        return _Converted(False)
    columns = {column: value(idl_row, column) for column in rows.MANAGED[table]}
    for column in REF_COLUMNS:
        if column in columns:
            columns[column] = [target.uuid for target in columns[column]]
    children = {column: uuids(idl_row, column) for column in CHILD_COLUMNS.get(table, ())}
    members = uuids(idl_row, "ports") if table == "Port_Group" else []
    return _Converted(True, _key(table, idl_row, columns),
                      rows.parse_scope(external_ids.get(rows.SCOPE_KEY, "")), columns,
                      children, members)


def _key(table: str, idl_row: Any, columns: dict[str, Any]) -> str:
    """The identity desired.py gives the same row."""
    if table in rows.NAMED:
        return value(idl_row, "name")
    if table == "DHCP_Options":
        return columns["external_ids"].get("strato:subnet", str(idl_row.uuid))
    if table == "Logical_Router_Static_Route":
        return f"{columns['ip_prefix']} via {columns['nexthop']}"
    if table == "NAT":
        return f"{columns['type']} {columns['external_ip']} {columns['logical_ip']}"
    if table == "ACL":
        return (f"{columns['direction']} {columns['priority']} {columns['match']} "
                f"{columns['action']}")
    raise ValueError(f"no key for {table}")

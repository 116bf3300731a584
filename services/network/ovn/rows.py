"""The OVN northbound rows Strato owns, as plain values: what the desired-state builder
produces, what nb.py reads back, what the reconciler compares and nb_actions writes.

A row is identified by (table, key): its name for named tables, and a key made from
its identifying columns for the others (a DHCP_Options row by its subnet, a NAT row by
type and addresses). Only the *managed* columns of a table are compared and written;
the rest (a switch's dns_records, a port's ``up``) belongs to others. Every Strato row
carries ``strato:owner=strato`` and its scope (``strato:scope=router:<id>``) in
external_ids; rows without the owner mark are never read as ours, so never touched.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

from common.ovn_names import OWNER_KEY

OWNER = "strato"
SCOPE_KEY = "strato:scope"
REVISION_KEY = "strato:revision"

Scope = tuple[str, str]
GLOBAL: Scope = ("global", "strato")


class Ref(NamedTuple):
    """A reference column's value: the (table, key) of another row."""

    table: str
    key: str


# Managed columns and their values when unset.
MANAGED: dict[str, dict[str, Any]] = {
    "Logical_Switch": {"external_ids": {}, "other_config": {}},
    "Logical_Switch_Port": {
        "type": "", "addresses": [], "port_security": [], "options": {}, "enabled": [],
        "tag": [], "dhcpv4_options": [], "dhcpv6_options": [], "external_ids": {}},
    "DHCP_Options": {"cidr": "", "options": {}, "external_ids": {}},
    "Logical_Router": {"enabled": [], "options": {}, "external_ids": {}},
    "Logical_Router_Port": {"mac": "", "networks": [], "enabled": [], "options": {},
                            "ipv6_ra_configs": {}, "external_ids": {}},
    "Gateway_Chassis": {"chassis_name": "", "priority": 0, "external_ids": {}},
    "Logical_Router_Static_Route": {"ip_prefix": "", "nexthop": "", "external_ids": {}},
    "NAT": {"type": "", "external_ip": "", "logical_ip": "", "logical_port": [],
            "external_mac": [], "external_ids": {}},
    "Port_Group": {"external_ids": {}},
    "ACL": {"direction": "", "priority": 0, "match": "", "action": "", "external_ids": {}},
    "Address_Set": {"addresses": [], "external_ids": {}},
}
# Child tables: the parent table and the parent's column that holds them (strongly).
PARENT_COLUMN = {
    "Logical_Switch_Port": ("Logical_Switch", "ports"),
    "Logical_Router_Port": ("Logical_Router", "ports"),
    "Logical_Router_Static_Route": ("Logical_Router", "static_routes"),
    "NAT": ("Logical_Router", "nat"),
    "ACL": ("Port_Group", "acls"),
    "Gateway_Chassis": ("Logical_Router_Port", "gateway_chassis"),
}
NAMED = ("Logical_Switch", "Logical_Switch_Port", "Logical_Router", "Logical_Router_Port",
         "Gateway_Chassis", "Port_Group", "Address_Set")


def depth(table: str) -> int:
    """0 for root tables, 1 for their children, 2 for grandchildren."""
    level = 0
    while table in PARENT_COLUMN:
        table = PARENT_COLUMN[table][0]
        level += 1
    return level


@dataclass(frozen=True)
class Row:
    table: str
    key: str
    scope: Scope
    columns: Mapping[str, Any]
    parent: str | None = None  # the parent row's key (its table is PARENT_COLUMN's)
    uuid: UUID | None = field(default=None, compare=False)  # rows read from NB

    @property
    def ident(self) -> tuple[str, str]:
        return (self.table, self.key)

    def external_ids(self) -> Mapping[str, str]:
        return self.columns.get("external_ids", {})


@dataclass(frozen=True)
class Member:
    """A logical switch port in a port group (a weak reference, not a row)."""

    port_group: str
    port: str

    @property
    def scope(self) -> Scope:
        return ("port", self.port)


def make(table: str, key: str, scope: Scope, ids: Mapping[str, Any] | None = None,
         parent: str | None = None, **columns: Any) -> Row:
    """A desired row: unset managed columns get their defaults, external_ids the owner
    mark, the scope and ``ids`` (as ``strato:<name>``)."""
    external_ids = {OWNER_KEY: OWNER, SCOPE_KEY: f"{scope[0]}:{scope[1]}"}
    external_ids.update({f"strato:{name}": str(value) for name, value in (ids or {}).items()
                         if value is not None})
    values = {**MANAGED[table], **columns, "external_ids": external_ids}
    unknown = set(values) - set(MANAGED[table])
    if unknown:
        raise ValueError(f"{table} does not manage {sorted(unknown)}")
    return Row(table, key, scope, values, parent)


def parse_scope(value: str) -> Scope:
    kind, _, resource_id = value.partition(":")
    return (kind, resource_id)


def canonical(value: Any) -> Any:
    """A comparable form: OVSDB sets and maps are unordered."""
    if isinstance(value, Ref):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [canonical(item) for item in value]
        try:
            return tuple(sorted(items))
        except TypeError:  # items of different types: any fixed order will do
            return tuple(sorted(items, key=repr))
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), canonical(v)) for k, v in value.items()))
    if isinstance(value, UUID):
        return str(value)
    return value


def changed_columns(desired: Row, actual: Row) -> dict[str, Any]:
    """The managed columns whose desired value differs from the actual one."""
    return {column: value for column, value in desired.columns.items()
            if canonical(value) != canonical(actual.columns.get(column))}

"""What the network agent realizes in OVN, served to it by the conductor.

The agent thinks in *scopes*: ("network", id) is a logical switch with its DHCP options
and localnet port, ("port", id) one switch port with its port group memberships,
("router", id) a logical router with its ports, routes and NAT, ("security_group", id)
a port group with its ACLs and address sets. A change of any resource (a *seed*: kind
and id, e.g. ("subnet", id)) maps to the scopes it affects; ``snapshot`` returns those
scopes with the data needed to build them, as Neutron-shaped dicts.
"""
import collections
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common.db import models, session
from common.db.api import network_records

SCOPE_KINDS = ("network", "port", "router", "security_group")
ROUTER_OWNERS = ("network:router_interface", "network:router_gateway")
Scope = tuple[str, str]


# --- which scopes a changed resource affects -------------------------------------------------
# One query per kind of seed, columns only: a burst of thousands of port changes must
# not load thousands of ORM objects.

def _port_scopes(s: orm.Session, port_ids: set[str]) -> set[Scope]:
    scopes: set[Scope] = {("port", port_id) for port_id in port_ids}
    query = sa.select(models.Port.network_id, models.Port.device_owner,
                      models.Port.device_id).where(models.Port.id.in_(port_ids))
    for network_id, owner, device_id in s.execute(query):
        scopes.add(("network", network_id))
        if owner in ROUTER_OWNERS:
            scopes.add(("router", device_id))
    binding = models.SecurityGroupPortBinding
    groups = sa.select(binding.security_group_id).where(binding.port_id.in_(port_ids))
    scopes |= {("security_group", sg_id) for sg_id in s.scalars(groups.distinct())}
    fips = sa.select(models.FloatingIP.router_id).where(
        models.FloatingIP.fixed_port_id.in_(port_ids), models.FloatingIP.router_id.is_not(None))
    return scopes | {("router", router_id) for router_id in s.scalars(fips.distinct())
                     if router_id is not None}


def _router_scopes(s: orm.Session, router_ids: set[str]) -> set[Scope]:
    scopes: set[Scope] = {("router", router_id) for router_id in router_ids}
    query = sa.select(models.Port.id, models.Port.network_id).where(
        models.Port.device_id.in_(router_ids), models.Port.device_owner.in_(ROUTER_OWNERS))
    for port_id, network_id in s.execute(query):
        scopes |= {("port", port_id), ("network", network_id)}
    return scopes


def _subnet_scopes(s: orm.Session, subnet_ids: set[str]) -> set[Scope]:
    nets = sa.select(models.Subnet.network_id).where(models.Subnet.id.in_(subnet_ids))
    scopes: set[Scope] = {("network", network_id) for network_id in s.scalars(nets)}
    query = sa.select(models.Port.id, models.Port.device_owner, models.Port.device_id).join(
        models.IPAllocation).where(models.IPAllocation.subnet_id.in_(subnet_ids))
    for port_id, owner, device_id in s.execute(query):
        scopes.add(("port", port_id))
        if owner in ROUTER_OWNERS:
            scopes.add(("router", device_id))
    return scopes


def closure(s: orm.Session, seeds: Iterable[Any]) -> set[Scope]:
    """The scopes the database says ``seeds`` [(kind, id)] affect. (Rows already gone
    from the database are found by the agent in OVN instead.)"""
    ids: dict[str, set[str]] = collections.defaultdict(set)
    for kind, resource_id in seeds:
        ids[kind].add(resource_id)
    scopes: set[Scope] = {(kind, resource_id) for kind in ("network", "security_group")
                          for resource_id in ids[kind]}
    scopes |= _port_scopes(s, ids["port"]) if ids["port"] else set()
    scopes |= _router_scopes(s, ids["router"]) if ids["router"] else set()
    scopes |= _subnet_scopes(s, ids["subnet"]) if ids["subnet"] else set()
    fips = sa.select(models.FloatingIP.router_id).where(
        models.FloatingIP.id.in_(ids["floatingip"]), models.FloatingIP.router_id.is_not(None))
    rules = sa.select(models.SecurityGroupRule.security_group_id).where(
        models.SecurityGroupRule.id.in_(ids["security_group_rule"]))
    scopes |= {("router", router_id) for router_id in s.scalars(fips) if router_id is not None}
    scopes |= {("security_group", sg_id) for sg_id in s.scalars(rules)}
    return scopes


# --- snapshots ------------------------------------------------------------------------

def _all_scopes(s: orm.Session) -> set[Scope]:
    scopes: set[Scope] = set()
    for kind, model in (("network", models.Network), ("port", models.Port),
                        ("router", models.Router), ("security_group", models.SecurityGroup)):
        scopes |= {(kind, resource_id) for resource_id in s.scalars(sa.select(model.id))}
    return scopes


def _where_ids(model: Any, ids: set[str] | None) -> sa.Select:
    query = sa.select(model)
    return query if ids is None else query.where(model.id.in_(ids))


def _ids(scopes: set[Scope], kind: str) -> set[str]:
    return {resource_id for scope_kind, resource_id in scopes if scope_kind == kind}


def _load(s: orm.Session, scopes: set[Scope] | None) -> dict[str, list]:
    """ORM objects of the scopes (everything when None), with the ports, subnets and
    floating IPs the routers of the scopes need."""
    def ids(kind: str) -> set[str] | None:
        return None if scopes is None else _ids(scopes, kind)

    router_ids = ids("router")
    ports = list(s.scalars(_where_ids(models.Port, ids("port"))))
    if router_ids is not None:
        seen = {port.id for port in ports}
        ports += [port for port in s.scalars(sa.select(models.Port).where(
            models.Port.device_id.in_(router_ids), models.Port.device_owner.in_(ROUTER_OWNERS)))
            if port.id not in seen]
    subnet_query = sa.select(models.Subnet)
    if scopes is not None:
        subnet_ids = {ip.subnet_id for port in ports for ip in port.fixed_ips}
        subnet_query = subnet_query.where(sa.or_(models.Subnet.id.in_(subnet_ids),
                                                 models.Subnet.network_id.in_(
                                                     _ids(scopes, "network"))))
    fips = sa.select(models.FloatingIP).where(models.FloatingIP.router_id.is_not(None))
    if router_ids is not None:
        fips = fips.where(models.FloatingIP.router_id.in_(router_ids))
    return {
        "networks": list(s.scalars(_where_ids(models.Network, ids("network")))),
        "subnets": list(s.scalars(subnet_query)),
        "ports": ports,
        "routers": list(s.scalars(_where_ids(models.Router, router_ids))),
        "floatingips": list(s.scalars(fips)),
        "security_groups": list(s.scalars(_where_ids(models.SecurityGroup,
                                                     ids("security_group")))),
    }


def _sg_addresses(s: orm.Session, sg_ids: list[str]) -> dict[str, list[str]]:
    """Addresses of the ports (with port security) in each group: fixed IPs and allowed
    address pairs, for the groups' OVN address sets (remote group rules)."""
    addresses: dict[str, set[str]] = {sg_id: set() for sg_id in sg_ids}
    binding = models.SecurityGroupPortBinding
    for model in (models.IPAllocation, models.AllowedAddressPair):
        query = (sa.select(binding.security_group_id, model.ip_address)
                 .join(model, model.port_id == binding.port_id)
                 .join(models.Port, models.Port.id == binding.port_id)
                 .where(binding.security_group_id.in_(sg_ids),
                        models.Port.port_security_enabled.is_(True)))
        for sg_id, address in s.execute(query):
            addresses[sg_id].add(address)
    return {sg_id: sorted(values) for sg_id, values in addresses.items()}


def snapshot(ctxt: Any, seeds: Iterable[Any] | None = None,
             scopes: Iterable[Any] | None = None) -> dict[str, Any]:
    """Everything (both None), or the closure of ``seeds`` plus ``scopes``: {"scopes":
    [[kind, id]], "networks", "subnets", "ports", "routers", "floatingips",
    "security_groups": [Neutron dicts], "sg_addresses": {sg id: [address]}}."""
    with session.reader() as s:
        if seeds is None and scopes is None:
            wanted, loaded = _all_scopes(s), _load(s, None)
        else:
            wanted = closure(s, seeds or []) | {tuple(scope) for scope in scopes or []}
            loaded = _load(s, wanted)
        sgs = loaded["security_groups"]
        return {
            "scopes": sorted([list(scope) for scope in wanted]),
            "networks": [network_records.network(x, []) for x in loaded["networks"]],
            "subnets": [network_records.subnet(x, []) for x in loaded["subnets"]],
            "ports": [network_records.port(x, []) for x in loaded["ports"]],
            "routers": [network_records.router(x, []) for x in loaded["routers"]],
            "floatingips": [network_records.floatingip(x, []) for x in loaded["floatingips"]],
            "security_groups": [network_records.security_group(x, []) for x in sgs],
            "sg_addresses": _sg_addresses(s, [sg.id for sg in sgs]),
        }


# --- port status ----------------------------------------------------------------------

def set_port_statuses(ctxt: Any, statuses: dict[str, str]) -> list[network_records.Port]:
    """Record what OVN reports (ACTIVE/DOWN); returns the ports that changed.

    The revision stays: it is what the agent realized, and a status is not a change the
    agent has to realize."""
    changed: list[str] = []
    with session.transaction() as s:
        for status in (models.network.ACTIVE, models.network.DOWN):
            wanted = [port_id for port_id, value in statuses.items() if value == status]
            if not wanted:
                continue
            # A statement, not a loaded row: a port deleted meanwhile is skipped, not
            # a StaleDataError.
            differs = (models.Port.id.in_(wanted), models.Port.status != status)
            ids = list(s.scalars(sa.select(models.Port.id).where(*differs)))
            if ids:
                s.execute(sa.update(models.Port).where(models.Port.id.in_(ids),
                                                       models.Port.status != status)
                          .values(status=status).execution_options(synchronize_session=False))
                changed += ids
        ports = s.scalars(sa.select(models.Port).where(models.Port.id.in_(changed)))
        return [network_records.port(port, []) for port in ports]

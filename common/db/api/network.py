"""Networks: the domain functions of the network API (one module per resource).

The handlers of /network/v2.0 parse a request's body by its schema
(services.api.network.schemas) and pass the values to these functions, which check
what needs the database (visibility, ownership through common.policy, quotas, segments,
addresses) in the transaction that writes, and return typed records
(network_records); the handlers render them (services.api.network.views) and cast one
``sync`` RPC to the network agent. Every function takes the request context first;
errors are common.exceptions classes carrying their HTTP code.

Modules: network (networks), network_subnets, network_ports, network_routers,
network_floatingips, network_security_groups, network_tags, network_quotas; ipam (IP and
MAC allocation); network_records (what they return); network_state (what the network
agent realizes, via the conductor).
"""
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions, policy
from common.config import CONF
from common.db import models, session
from common.db.api import network_common as common
from common.db.api import network_quotas, network_records

GENEVE_OVERHEAD = 58
MAX_VNI = 2 ** 24 - 1


SQL_FILTERS = {"id": models.Network.id, "name": models.Network.name,
               "project_id": models.Network.project_id, "tenant_id": models.Network.project_id}


def find(s: orm.Session, ctxt: Any, network_id: str,
         options: Sequence[Any] = ()) -> models.Network:
    """The network, if the caller may see it (own, shared or external; all for admins);
    ``options`` are loader options of the query."""
    net = s.get(models.Network, network_id, options=options)
    if net is None or not visible(ctxt, net):
        raise exceptions.NetworkNotFound(net_id=network_id)
    return net


def visible(ctxt: Any, net: models.Network) -> bool:
    return common.owns(ctxt, net) or net.shared or net.external


def _visible_query(ctxt: Any) -> sa.Select:
    query = sa.select(models.Network)
    if not common.is_admin(ctxt):
        query = query.where(sa.or_(models.Network.project_id == ctxt.project_id,
                                   models.Network.shared.is_(True),
                                   models.Network.external.is_(True)))
    return query


def _render(s: orm.Session, nets: Sequence[models.Network]) -> list[network_records.Network]:
    tags = common.tags_of(s, [net.id for net in nets])
    return [network_records.network(net, tags[net.id]) for net in nets]


# --- provider segment -------------------------------------------------------------------

def _segment(s: orm.Session, values: common.Values) -> dict[str, Any]:
    """network_type, physical_network, segmentation_id, segment_key and default MTU."""
    kind = values.pop("provider:network_type", None) or "geneve"
    physnet = values.pop("provider:physical_network", None) or None
    seg_id = values.pop("provider:segmentation_id", None)
    if kind in ("flat", "vlan") and physnet is None:
        raise common.invalid(f"provider:physical_network is required for {kind} networks")
    if kind == "flat" and seg_id is not None:
        raise common.invalid("provider:segmentation_id is not allowed for flat networks")
    if kind == "vlan" and not (seg_id and 1 <= seg_id <= 4094):
        raise common.invalid("provider:segmentation_id must be a VLAN id in 1..4094")
    auto = kind == "geneve" and seg_id is None
    if kind == "geneve":
        if physnet is not None:
            raise common.invalid("provider:physical_network is not allowed for geneve")
        if auto:
            seg_id = _next_vni(s)
        elif not 1 <= seg_id <= MAX_VNI:
            raise common.invalid(f"provider:segmentation_id must be in 1..{MAX_VNI}")
    key = f"{kind}:{physnet or ''}:{'' if seg_id is None else seg_id}"
    # An automatic VNI a concurrent create took meanwhile is no user error: the UNIQUE
    # constraint makes the whole create run again with the next one.
    if not auto and s.scalar(sa.select(models.Network.id).where(
            models.Network.segment_key == key)):
        raise exceptions.Conflict(f"The {kind} segment {physnet or ''}:{seg_id or ''} is "
                                  "already in use.")
    overhead = GENEVE_OVERHEAD if kind == "geneve" else 0
    return {"network_type": kind, "physical_network": physnet, "segmentation_id": seg_id,
            "segment_key": key, "mtu": CONF.network.global_physnet_mtu - overhead}


def _next_vni(s: orm.Session) -> int:
    # A concurrent create may take the same VNI: segment_key's UNIQUE makes one retry.
    query = sa.select(sa.func.max(models.Network.segmentation_id)).where(
        models.Network.network_type == "geneve")
    highest = s.scalar(query) or 0
    return highest + 1 + common.current_attempt()


def _check_mtu(mtu: int | None, max_mtu: int) -> None:
    if mtu is not None and not 68 <= mtu <= max_mtu:
        raise common.invalid(f"Requested MTU {mtu} is not in 68..{max_mtu}, the largest "
                             "this network type allows")


# --- the domain functions ---------------------------------------------------------------

def _create(s: orm.Session, ctxt: Any, values: common.Values) -> models.Network:
    values = dict(values)  # a retry must see the caller's values again
    project_id = common.owner_of_new(ctxt, values)
    values.pop("availability_zone_hints", None)
    network_quotas.check(s, project_id, "network")
    segment = _segment(s, values)
    mtu = values.pop("mtu", None)
    _check_mtu(mtu, segment["mtu"])
    net = models.Network(
        project_id=project_id, name=values.get("name", ""),
        description=values.get("description", ""),
        admin_state_up=values.get("admin_state_up", True),
        shared=values.get("shared", False), external=values.get("router:external", False),
        dns_domain=values.get("dns_domain", ""),
        port_security_enabled=values.get("port_security_enabled", True),
        revision_number=1, subnets=[], **{**segment, "mtu": mtu or segment["mtu"]})
    s.add(net)
    s.flush()
    return net


@common.retry_on_db_conflict
def create_networks(ctxt: Any, items: list[common.Values]) -> list[network_records.Network]:
    """Bulk create: all networks or none."""
    with session.transaction() as s:
        nets = [_create(s, ctxt, values) for values in items]
        return _render(s, nets)


def create_network(ctxt: Any, values: common.Values) -> network_records.Network:
    return create_networks(ctxt, [values])[0]


def get_network(ctxt: Any, network_id: str) -> network_records.Network:
    with session.reader() as s:
        return _render(s, [find(s, ctxt, network_id)])[0]


def list_networks(ctxt: Any,
                  filters: common.Filters | None = None) -> list[network_records.Network]:
    with session.reader() as s:
        query = common.sql_filters(_visible_query(ctxt), filters, SQL_FILTERS)
        items = _render(s, list(s.scalars(query)))
    return items


@common.retry_on_db_conflict
def update_network(ctxt: Any, network_id: str, values: common.Values) -> network_records.Network:
    with session.transaction() as s:
        net = find(s, ctxt, network_id)
        policy.authorize_owner(ctxt, net.project_id)
        values = dict(values)  # a retry must see the caller's values again
        overhead = GENEVE_OVERHEAD if net.network_type == "geneve" else 0
        if "mtu" in values:
            _check_mtu(values["mtu"], CONF.network.global_physnet_mtu - overhead)
            net.mtu = values.pop("mtu") or CONF.network.global_physnet_mtu - overhead
        if "router:external" in values:
            net.external = values.pop("router:external")
        for key, value in values.items():
            setattr(net, key, value)
        common.bump(net)
        return _render(s, [net])[0]


def _delete_floatingips(s: orm.Session, net: models.Network) -> None:
    """An external network's unassociated floating IPs go with it, as in Neutron (an
    associated one needs a router gateway on the network, which keeps it in use)."""
    query = sa.select(models.FloatingIP).where(
        models.FloatingIP.floating_network_id == net.id,
        models.FloatingIP.fixed_port_id.is_(None))
    for fip in list(s.scalars(query)):
        port = s.get(models.Port, fip.floating_port_id)
        common.delete_tags(s, fip.id)
        s.delete(fip)
        s.flush()
        s.delete(port)
    s.flush()


@common.retry_on_db_conflict
def delete_network(ctxt: Any, network_id: str) -> None:
    """Deletes the network and its subnets (and unassociated floating IPs); any other
    port left on it is a 409."""
    with session.transaction() as s:
        net = find(s, ctxt, network_id)
        policy.authorize_owner(ctxt, net.project_id)
        _delete_floatingips(s, net)
        ports = sa.select(models.Port.id).where(models.Port.network_id == net.id).limit(1)
        if s.scalar(ports) is not None:
            raise exceptions.NetworkInUse(net_id=net.id)
        for subnet in net.subnets:
            common.delete_tags(s, subnet.id)
        common.delete_tags(s, net.id)
        s.delete(net)

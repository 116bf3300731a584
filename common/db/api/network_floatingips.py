"""Floating IPs: an address of an external network, associated with a port's fixed IP
through the router that connects the port's subnet to that network
(see common.db.api.network)."""
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions
from common.db import models, session
from common.db.api import network_common as common
from common.db.api import network_ports as ports
from common.db.api import network_quotas, network_records
from common.db.api.network import find as find_network

SQL_FILTERS = {
    "id": models.FloatingIP.id, "floating_network_id": models.FloatingIP.floating_network_id,
    "floating_ip_address": models.FloatingIP.floating_ip_address,
    "port_id": models.FloatingIP.fixed_port_id, "router_id": models.FloatingIP.router_id,
    "project_id": models.FloatingIP.project_id, "tenant_id": models.FloatingIP.project_id}


def find(s: orm.Session, ctxt: Any, fip_id: str) -> models.FloatingIP:
    fip = s.get(models.FloatingIP, fip_id)
    if fip is None or not common.owns(ctxt, fip):
        raise exceptions.FloatingIPNotFound(floatingip_id=fip_id)
    return fip


def _render(s: orm.Session, fips: Sequence[models.FloatingIP]) -> list[network_records.FloatingIP]:
    tags = common.tags_of(s, [fip.id for fip in fips])
    return [network_records.floatingip(fip, tags[fip.id]) for fip in fips]


def _address_request(net: models.Network, values: common.Values) -> list[list[dict]]:
    """The fixed_ips requests to try, in order, for the floating port (IPv4 only)."""
    wanted = {key: values[key] for key in ("subnet_id", "floating_ip_address")
              if values.get(key)}
    if wanted:
        request = {"subnet_id": wanted.get("subnet_id"),
                   "ip_address": wanted.get("floating_ip_address")}
        return [[{k: v for k, v in request.items() if v}]]
    candidates = [[{"subnet_id": subnet.id}] for subnet in net.subnets if subnet.ip_version == 4]
    if not candidates:
        raise common.invalid(f"Bad floatingip request: Network {net.id} does not contain "
                             "any IPv4 subnet")
    return candidates


def _new_floating_port(s: orm.Session, net: models.Network, fip_id: str,
                       values: common.Values) -> models.Port:
    *others, last = _address_request(net, values)
    for request in others:
        try:  # a full subnet raises before anything is written: try the next one
            return ports.new_port(s, net, "", ports.FLOATINGIP, fip_id, request)
        except exceptions.IpAddressGenerationFailure:
            continue
    return ports.new_port(s, net, "", ports.FLOATINGIP, fip_id, last)


# --- association ------------------------------------------------------------------------

def _fixed_ip_of(port: models.Port, requested: str | None) -> str:
    if requested is not None:
        if requested not in [ip.ip_address for ip in port.fixed_ips]:
            raise common.invalid(f"Port {port.id} does not have fixed ip {requested}")
        return requested
    addresses = ports.ipv4_addresses(port)
    if not addresses:
        raise common.invalid(f"Bad floatingip request: Port {port.id} does not have any "
                             "IPv4 address")
    if len(addresses) > 1:
        raise common.invalid(f"Port {port.id} has multiple fixed IPv4 addresses. Must "
                             "provide a specific IPv4 address when assigning a floating IP")
    return addresses[0]


def _router_for(s: orm.Session, fip: models.FloatingIP, port: models.Port,
                fixed_ip: str) -> str:
    """The router with a gateway on the floating network and an interface on the subnet
    of ``fixed_ip``."""
    subnet_id = next(ip.subnet_id for ip in port.fixed_ips if ip.ip_address == fixed_ip)
    gateways = sa.select(models.Router.id).join(
        models.Port, models.Port.id == models.Router.gw_port_id).where(
        models.Port.network_id == fip.floating_network_id)
    query = sa.select(models.Port.device_id).join(models.IPAllocation).where(
        models.Port.device_owner == ports.ROUTER_INTERFACE,
        models.Port.device_id.in_(gateways), models.IPAllocation.subnet_id == subnet_id)
    router_id = s.scalar(query.limit(1))
    if router_id is None:
        raise exceptions.ExternalGatewayForFloatingIPNotFound(
            external_network_id=fip.floating_network_id, subnet_id=subnet_id,
            port_id=port.id)
    return router_id


def _associate(s: orm.Session, ctxt: Any, fip: models.FloatingIP, port_id: str | None,
               fixed_ip: str | None) -> None:
    if port_id is None:
        fip.fixed_port_id = fip.fixed_ip_address = fip.router_id = None
        fip.status = models.network.DOWN
        return
    port = ports.find(s, ctxt, port_id)
    if port.project_id != fip.project_id and not common.is_admin(ctxt):
        raise exceptions.PortNotFound(port_id=port_id)
    if port.device_owner.startswith("network:"):
        raise common.invalid(f"Port {port.id} has owner {port.device_owner} and therefore "
                             "cannot be associated with a floating IP")
    fixed_ip = _fixed_ip_of(port, fixed_ip)
    other = s.scalar(sa.select(models.FloatingIP).where(
        models.FloatingIP.floating_network_id == fip.floating_network_id,
        models.FloatingIP.fixed_port_id == port.id,
        models.FloatingIP.fixed_ip_address == fixed_ip, models.FloatingIP.id != fip.id))
    if other is not None:
        raise exceptions.FloatingIPPortAlreadyAssociated(
            floating_ip_address=fip.floating_ip_address, fip_id=fip.id, port_id=port.id,
            fixed_ip=fixed_ip, net_id=fip.floating_network_id)
    fip.router_id = _router_for(s, fip, port, fixed_ip)
    fip.fixed_port_id, fip.fixed_ip_address = port.id, fixed_ip
    fip.status = models.network.ACTIVE


# --- the domain functions ---------------------------------------------------------------

@common.retry_on_db_conflict
def create_floatingip(ctxt: Any, values: common.Values) -> network_records.FloatingIP:
    with session.transaction() as s:
        values = dict(values)  # a retry must see the caller's values again
        if "floating_network_id" not in values:
            raise common.invalid("floating_network_id is required")
        net = find_network(s, ctxt, values["floating_network_id"])
        if not net.external:
            raise common.invalid(f"Bad floatingip request: Network {net.id} is not a valid "
                                 "external network")
        project_id = common.owner_of_new(ctxt, values)
        network_quotas.check(s, project_id, "floatingip")
        fip_id = models.base.new_uuid()
        port = _new_floating_port(s, net, fip_id, values)
        s.flush()  # the port before the floating IP that points at it
        fip = models.FloatingIP(
            id=fip_id, project_id=project_id, floating_network_id=net.id,
            floating_port_id=port.id, floating_ip_address=port.fixed_ips[0].ip_address,
            description=values.get("description", ""), status=models.network.DOWN,
            revision_number=1)
        s.add(fip)
        s.flush()
        if values.get("port_id"):
            _associate(s, ctxt, fip, values["port_id"], values.get("fixed_ip_address"))
        s.flush()
        return _render(s, [fip])[0]


def get_floatingip(ctxt: Any, fip_id: str) -> network_records.FloatingIP:
    with session.reader() as s:
        return _render(s, [find(s, ctxt, fip_id)])[0]


def list_floatingips(ctxt: Any,
                     filters: common.Filters | None = None) -> list[network_records.FloatingIP]:
    query = sa.select(models.FloatingIP)
    if not common.is_admin(ctxt):
        query = query.where(models.FloatingIP.project_id == ctxt.project_id)
    with session.reader() as s:
        items = _render(s, list(s.scalars(common.sql_filters(query, filters, SQL_FILTERS))))
    return items


@common.retry_on_db_conflict
def update_floatingip(ctxt: Any, fip_id: str, values: common.Values) -> network_records.FloatingIP:
    """``port_id`` associates (with ``fixed_ip_address`` or the port's IPv4 address) or,
    when null, disassociates."""
    with session.transaction() as s:
        fip = find(s, ctxt, fip_id)
        values = dict(values)  # a retry must see the caller's values again
        if "description" in values:
            fip.description = values["description"]
        if "port_id" in values:
            _associate(s, ctxt, fip, values["port_id"], values.get("fixed_ip_address"))
        elif "fixed_ip_address" in values and fip.fixed_port_id:
            _associate(s, ctxt, fip, fip.fixed_port_id, values["fixed_ip_address"])
        common.bump(fip)
        s.flush()
        return _render(s, [fip])[0]


@common.retry_on_db_conflict
def delete_floatingip(ctxt: Any, fip_id: str) -> None:
    """The floating port goes with it: its address returns to the external pool."""
    with session.transaction() as s:
        fip = find(s, ctxt, fip_id)
        port = s.get_one(models.Port, fip.floating_port_id)
        common.delete_tags(s, fip.id)
        s.delete(fip)
        s.flush()
        ports.delete_port_in_session(s, port)

"""Routers: interfaces on subnets (by subnet or by port), an external gateway with SNAT,
and static routes (see common.db.api.network)."""
from collections.abc import Sequence
from typing import Any

import netaddr
import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import network_common as common
from common.db.api import network_ports as ports
from common.db.api import network_quotas, network_records
from common.db.api import network_subnets as subnets
from common.db.api.network import find as find_network

SQL_FILTERS = {"id": models.Router.id, "name": models.Router.name,
               "project_id": models.Router.project_id, "tenant_id": models.Router.project_id}


def find(s: orm.Session, ctxt: Any, router_id: str) -> models.Router:
    router = s.get(models.Router, router_id)
    if router is None or not common.owns(ctxt, router):
        raise exceptions.RouterNotFound(router_id=router_id)
    return router


def interfaces(s: orm.Session, router_id: str) -> list[models.Port]:
    query = sa.select(models.Port).where(models.Port.device_id == router_id,
                                         models.Port.device_owner == ports.ROUTER_INTERFACE)
    return list(s.scalars(query.order_by(models.Port.created_at)))


def _render(s: orm.Session, routers: Sequence[models.Router]) -> list[network_records.Router]:
    tags = common.tags_of(s, [router.id for router in routers])
    return [network_records.router(router, tags[router.id]) for router in routers]


def _subnet_of(s: orm.Session, allocation: models.IPAllocation) -> models.Subnet:
    return s.get_one(models.Subnet, allocation.subnet_id)


def _connected_cidrs(s: orm.Session, router: models.Router) -> list[netaddr.IPNetwork]:
    port_list = interfaces(s, router.id) + ([router.gw_port] if router.gw_port else [])
    return [netaddr.IPNetwork(_subnet_of(s, ip).cidr)
            for port in port_list for ip in port.fixed_ips]


# --- external gateway ----------------------------------------------------------------------

def _fips_on(s: orm.Session, router_id: str) -> bool:
    query = sa.select(models.FloatingIP.id).where(models.FloatingIP.router_id == router_id)
    return s.scalar(query.limit(1)) is not None


def _clear_gateway(s: orm.Session, router: models.Router) -> None:
    if router.gw_port is None:
        return
    if _fips_on(s, router.id):
        raise exceptions.RouterExternalGatewayInUseByFloatingIp(
            router_id=router.id, net_id=router.gw_port.network_id)
    port = router.gw_port
    router.gw_port = None
    s.flush()
    ports.delete_port_in_session(s, port)


def _set_gateway(s: orm.Session, ctxt: Any, router: models.Router, info: dict | None) -> None:
    """Set, change or (``info`` None) clear the external gateway; the gateway port is
    tenant-less, as in Neutron."""
    if info is None:
        _clear_gateway(s, router)
        return
    net = find_network(s, ctxt, info["network_id"])
    if not net.external:
        raise common.invalid(f"Network {net.id} is not a valid external network")
    same = router.gw_port is not None and router.gw_port.network_id == net.id
    if not same or "external_fixed_ips" in info:
        _clear_gateway(s, router)
        router.gw_port = ports.new_port(s, net, "", ports.ROUTER_GATEWAY, router.id,
                                        info.get("external_fixed_ips"))
    router.enable_snat = info.get("enable_snat", True)


def _set_routes(s: orm.Session, router: models.Router, routes: list[tuple[str, str]]) -> None:
    if len(routes) > CONF.network.max_routes:
        raise common.invalid(f"Number of routes exceeds the limit {CONF.network.max_routes}")
    cidrs = _connected_cidrs(s, router)
    for destination, nexthop in routes:
        if not any(netaddr.IPAddress(nexthop) in cidr for cidr in cidrs):
            raise common.invalid(f"Invalid format for routes: the nexthop {nexthop} of "
                                 f"{destination} is not connected with router")
    router.routes = [models.RouterRoute(destination=destination, nexthop=nexthop)
                     for destination, nexthop in dict.fromkeys(routes)]


# --- routers ---------------------------------------------------------------------------

@common.retry_on_db_conflict
def create_router(ctxt: Any, values: common.Values) -> network_records.Router:
    with session.transaction() as s:
        values = dict(values)  # a retry must see the caller's values again
        project_id = common.owner_of_new(ctxt, values)
        network_quotas.check(s, project_id, "router")
        router = models.Router(
            id=models.base.new_uuid(), project_id=project_id, name=values.get("name", ""),
            description=values.get("description", ""),
            admin_state_up=values.get("admin_state_up", True), enable_snat=True,
            revision_number=1, routes=[])
        s.add(router)
        _set_gateway(s, ctxt, router, values.get("external_gateway_info"))
        s.flush()
        return _render(s, [router])[0]


def get_router(ctxt: Any, router_id: str) -> network_records.Router:
    with session.reader() as s:
        return _render(s, [find(s, ctxt, router_id)])[0]


def list_routers(ctxt: Any, filters: common.Filters | None = None) -> list[network_records.Router]:
    query = sa.select(models.Router)
    if not common.is_admin(ctxt):
        query = query.where(models.Router.project_id == ctxt.project_id)
    with session.reader() as s:
        items = _render(s, list(s.scalars(common.sql_filters(query, filters, SQL_FILTERS))))
    return items


@common.retry_on_db_conflict
def update_router(ctxt: Any, router_id: str, values: common.Values) -> network_records.Router:
    with session.transaction() as s:
        router = find(s, ctxt, router_id)
        values = dict(values)  # a retry must see the caller's values again
        for key in ("name", "description", "admin_state_up"):
            if key in values:
                setattr(router, key, values[key])
        if "external_gateway_info" in values:
            _set_gateway(s, ctxt, router, values["external_gateway_info"])
        if "routes" in values:
            _set_routes(s, router, values["routes"])
        common.bump(router)
        s.flush()
        return _render(s, [router])[0]


@common.retry_on_db_conflict
def delete_router(ctxt: Any, router_id: str) -> None:
    with session.transaction() as s:
        router = find(s, ctxt, router_id)
        if interfaces(s, router.id):
            raise exceptions.RouterInUse(router_id=router.id, reason="still has ports")
        if _fips_on(s, router.id):
            raise exceptions.RouterInUse(router_id=router.id,
                                         reason="still has floating IPs")
        _clear_gateway(s, router)
        common.delete_tags(s, router.id)
        s.delete(router)


# --- interfaces ------------------------------------------------------------------------

def _interface_info(router: models.Router, port: models.Port) -> dict:
    subnet_ids = [ip.subnet_id for ip in port.fixed_ips]
    return {"id": router.id, "tenant_id": router.project_id,
            "project_id": router.project_id, "port_id": port.id,
            "subnet_id": subnet_ids[0] if subnet_ids else None, "subnet_ids": subnet_ids,
            "network_id": port.network_id}


def _interface_target(body: Any) -> tuple[str | None, str]:
    """(subnet_id, None) or (None, port_id) as the body names one."""
    if not isinstance(body, dict) or not set(body) <= {"subnet_id", "port_id"}:
        raise common.invalid("Either subnet_id or port_id must be specified")
    subnet_id, port_id = body.get("subnet_id"), body.get("port_id")
    if bool(subnet_id) == bool(port_id):
        raise common.invalid("Either subnet_id or port_id must be specified, not both")
    return subnet_id, port_id or ""


def _check_overlap(s: orm.Session, router: models.Router, new: list[models.Subnet]) -> None:
    existing = [(ip.subnet_id, _subnet_of(s, ip).cidr)
                for port in interfaces(s, router.id) for ip in port.fixed_ips]
    for subnet in new:
        for other_id, cidr in existing:
            if other_id == subnet.id:
                raise common.invalid(f"Router already has a port on subnet {subnet.id}")
            if netaddr.IPNetwork(cidr) in netaddr.IPNetwork(subnet.cidr) or \
                    netaddr.IPNetwork(subnet.cidr) in netaddr.IPNetwork(cidr):
                raise common.invalid(f"Cidr {subnet.cidr} of subnet {subnet.id} overlaps "
                                     f"with cidr {cidr} of subnet {other_id}")


@common.retry_on_db_conflict
def add_router_interface(ctxt: Any, router_id: str, body: Any) -> dict:
    """By subnet (a new port with the subnet's gateway IP) or by an unused port.
    Returns Neutron's {id, port_id, subnet_id, subnet_ids, network_id, tenant_id}."""
    subnet_id, port_id = _interface_target(body)
    with session.transaction() as s:
        router = find(s, ctxt, router_id)
        if subnet_id:
            subnet = subnets.find(s, ctxt, subnet_id)
            if not subnet.gateway_ip:
                raise common.invalid(f"Subnet {subnet.id} for router interface must have a "
                                     "gateway IP")
            _check_overlap(s, router, [subnet])
            port = ports.new_port(s, subnet.network, router.project_id,
                                  ports.ROUTER_INTERFACE, router.id,
                                  [{"subnet_id": subnet.id, "ip_address": subnet.gateway_ip}])
        else:
            port = ports.find(s, ctxt, port_id)
            if port.device_id or port.device_owner:
                raise exceptions.PortInUse(port_id=port.id, net_id=port.network_id,
                                           device_id=port.device_id)
            if not port.fixed_ips:
                raise common.invalid(f"Router port {port.id} must have at least one fixed IP")
            port_subnets = [_subnet_of(s, ip) for ip in port.fixed_ips]
            if sum(1 for subnet in port_subnets if subnet.ip_version == 4) > 1:
                raise common.invalid("Cannot have multiple IPv4 subnets on router port")
            _check_overlap(s, router, port_subnets)
            port.device_id, port.device_owner = router.id, ports.ROUTER_INTERFACE
            port.security_group_bindings = []
            port.allowed_address_pairs = []
            port.port_security_enabled = False
            common.bump(port)
        common.bump(router)
        s.flush()
        return _interface_info(router, port)


@common.retry_on_db_conflict
def remove_router_interface(ctxt: Any, router_id: str, body: Any) -> dict:
    """Deletes the interface port; a floating IP or a route still using the subnet is a
    409."""
    subnet_id, port_id = _interface_target(body)
    with session.transaction() as s:
        router = find(s, ctxt, router_id)
        if port_id:
            port = next((p for p in interfaces(s, router.id) if p.id == port_id), None)
            if port is None:
                raise exceptions.RouterInterfaceNotFound(router_id=router.id, port_id=port_id)
        else:
            port = next((p for p in interfaces(s, router.id)
                         if any(ip.subnet_id == subnet_id for ip in p.fixed_ips)), None)
            if port is None:
                raise exceptions.RouterInterfaceNotFoundForSubnet(router_id=router.id,
                                                                  subnet_id=subnet_id)
        info = _interface_info(router, port)
        cidrs = [netaddr.IPNetwork(_subnet_of(s, ip).cidr) for ip in port.fixed_ips]
        _check_interface_unused(s, router, port, cidrs)
        ports.delete_port_in_session(s, port)
        common.bump(router)
        return info


def _check_interface_unused(s: orm.Session, router: models.Router, port: models.Port,
                            cidrs: list[netaddr.IPNetwork]) -> None:
    fips = s.scalars(sa.select(models.FloatingIP).where(
        models.FloatingIP.router_id == router.id))
    for fip in fips:
        if any(netaddr.IPAddress(fip.fixed_ip_address) in cidr for cidr in cidrs):
            raise exceptions.RouterInterfaceInUseByFloatingIP(
                router_id=router.id, subnet_id=port.fixed_ips[0].subnet_id)
    for route in router.routes:
        if any(netaddr.IPAddress(route.nexthop) in cidr for cidr in cidrs):
            raise exceptions.Conflict(
                f"Router interface for subnet {port.fixed_ips[0].subnet_id} on router "
                f"{router.id} cannot be deleted, as it is required by one or more routes.")

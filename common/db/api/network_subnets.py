"""Subnets: IPv4 and IPv6 address ranges of a network, with their allocation pools,
gateway, DHCP settings, DNS servers and host routes (see common.db.api.network)."""
from collections.abc import Sequence
from typing import Any

import netaddr
import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions, policy
from common.config import CONF
from common.db import models, session
from common.db.api import ipam, network_quotas, network_records
from common.db.api import network as networks
from common.db.api import network_common as common

SQL_FILTERS = {"id": models.Subnet.id, "name": models.Subnet.name,
               "network_id": models.Subnet.network_id, "cidr": models.Subnet.cidr,
               "project_id": models.Subnet.project_id, "tenant_id": models.Subnet.project_id}


def find(s: orm.Session, ctxt: Any, subnet_id: str) -> models.Subnet:
    subnet = s.get(models.Subnet, subnet_id)
    if subnet is None or not (common.owns(ctxt, subnet)
                              or networks.visible(ctxt, subnet.network)):
        raise exceptions.SubnetNotFound(subnet_id=subnet_id)
    return subnet


def _render(s: orm.Session, subnets: Sequence[models.Subnet]) -> list[network_records.Subnet]:
    tags = common.tags_of(s, [subnet.id for subnet in subnets])
    return [network_records.subnet(subnet, tags[subnet.id]) for subnet in subnets]


# --- validation -------------------------------------------------------------------------

def _default_gateway(cidr: str) -> str | None:
    net = netaddr.IPNetwork(cidr)
    if net.version == 4 and net.size <= 2:
        return None
    return str(netaddr.IPAddress(net.first + 1, net.version))


def _check_gateway(cidr: str, gateway_ip: str | None) -> None:
    if gateway_ip is None:
        return
    net = netaddr.IPNetwork(cidr)
    address = netaddr.IPAddress(gateway_ip)
    if address.version != net.version or address not in net:
        raise common.invalid(f"Gateway IP {gateway_ip} is not in subnet {cidr}")
    if net.version == 4 and net.size > 2 and int(address) in (net.first, net.last):
        raise common.invalid(f"Gateway is not valid on subnet: {gateway_ip} is the network "
                             "or broadcast address")


def _check_lists(values: common.Values, ip_version: int) -> None:
    servers = values.get("dns_nameservers", [])
    if len(servers) > CONF.network.max_dns_nameservers:
        raise common.invalid(f"Number of DNS nameservers exceeds the limit "
                             f"{CONF.network.max_dns_nameservers}")
    if len(set(servers)) != len(servers):
        raise common.invalid(f"Duplicate nameserver in {servers}")
    routes = values.get("host_routes", [])
    if len(routes) > CONF.network.max_subnet_host_routes:
        raise common.invalid(f"Number of host routes exceeds the limit "
                             f"{CONF.network.max_subnet_host_routes}")
    if len(set(routes)) != len(routes):
        raise common.invalid("Duplicate host route")
    for destination, nexthop in routes:
        if (netaddr.IPNetwork(destination).version != ip_version
                or netaddr.IPAddress(nexthop).version != ip_version):
            raise common.invalid(f"Host route {destination} via {nexthop} is not "
                                 f"IPv{ip_version}")


def _check_ipv6_modes(values: common.Values, ip_version: int) -> None:
    ra_mode, address_mode = values.get("ipv6_ra_mode"), values.get("ipv6_address_mode")
    if ip_version == 4 and (ra_mode or address_mode):
        raise common.invalid("ipv6_ra_mode or ipv6_address_mode cannot be set when "
                             "ip_version is 4")
    if ra_mode and address_mode and ra_mode != address_mode:
        raise common.invalid(f"ipv6_ra_mode set to '{ra_mode}' with ipv6_address_mode set "
                             f"to '{address_mode}' is not valid")


def _check_overlap(net: models.Network, cidr: str, subnet_id: str | None = None) -> None:
    new = netaddr.IPNetwork(cidr)
    for other in net.subnets:
        if other.id != subnet_id and netaddr.IPNetwork(other.cidr).version == new.version:
            old = netaddr.IPNetwork(other.cidr)
            if new.first <= old.last and old.first <= new.last:
                raise common.invalid(f"Requested subnet with cidr: {cidr} for network: "
                                     f"{net.id} overlaps with another subnet")


def _set_lists(subnet: models.Subnet, values: common.Values) -> None:
    if "allocation_pools" in values:
        subnet.allocation_pools = [models.AllocationPool(first_ip=first, last_ip=last)
                                   for first, last in values["allocation_pools"]]
    if "dns_nameservers" in values:
        subnet.dns_nameservers = [models.DnsNameserver(address=address, order=order)
                                  for order, address in enumerate(values["dns_nameservers"])]
    if "host_routes" in values:
        subnet.host_routes = [models.HostRoute(destination=destination, nexthop=nexthop)
                              for destination, nexthop in values["host_routes"]]


# --- the domain functions ---------------------------------------------------------------

def _create(s: orm.Session, ctxt: Any, values: common.Values) -> models.Subnet:
    values = dict(values)  # a retry must see the caller's values again
    for key in ("subnetpool_id", "service_types"):
        values.pop(key, None)
    if "network_id" not in values or "cidr" not in values:
        raise common.invalid("network_id and cidr are required")
    net = networks.find(s, ctxt, values.pop("network_id"))
    project_id = common.owner_of_new(ctxt, values)
    policy.authorize_owner(ctxt, net.project_id)  # not on another's shared network
    network_quotas.check(s, project_id, "subnet")
    cidr = values["cidr"]
    ip_version = values.get("ip_version", netaddr.IPNetwork(cidr).version)
    if netaddr.IPNetwork(cidr).version != ip_version:
        raise common.invalid(f"Cidr {cidr} does not match ip_version {ip_version}")
    gateway = values["gateway_ip"] if "gateway_ip" in values else _default_gateway(cidr)
    _check_gateway(cidr, gateway)
    _check_lists(values, ip_version)
    _check_ipv6_modes(values, ip_version)
    _check_overlap(net, cidr)
    if "allocation_pools" in values and values["allocation_pools"]:
        ipam.validate_pools(cidr, gateway, values["allocation_pools"])
    else:
        values["allocation_pools"] = ipam.default_pools(cidr, gateway)
    subnet = models.Subnet(
        project_id=project_id, network_id=net.id, name=values.get("name", ""),
        description=values.get("description", ""), ip_version=ip_version, cidr=cidr,
        gateway_ip=gateway, enable_dhcp=values.get("enable_dhcp", True),
        ipv6_ra_mode=values.get("ipv6_ra_mode"),
        ipv6_address_mode=values.get("ipv6_address_mode"), revision_number=1)
    _set_lists(subnet, values)
    net.subnets.append(subnet)
    common.bump(net)
    s.flush()
    return subnet


@common.retry_on_db_conflict
def create_subnets(ctxt: Any, items: list[common.Values]) -> list[network_records.Subnet]:
    """Bulk create: all subnets or none."""
    with session.transaction() as s:
        subnets = [_create(s, ctxt, values) for values in items]
        return _render(s, subnets)


def create_subnet(ctxt: Any, values: common.Values) -> network_records.Subnet:
    return create_subnets(ctxt, [values])[0]


def get_subnet(ctxt: Any, subnet_id: str) -> network_records.Subnet:
    with session.reader() as s:
        return _render(s, [find(s, ctxt, subnet_id)])[0]


def list_subnets(ctxt: Any, filters: common.Filters | None = None) -> list[network_records.Subnet]:
    query = sa.select(models.Subnet).join(models.Network)
    if not common.is_admin(ctxt):
        query = query.where(sa.or_(models.Subnet.project_id == ctxt.project_id,
                                   models.Network.project_id == ctxt.project_id,
                                   models.Network.shared.is_(True),
                                   models.Network.external.is_(True)))
    with session.reader() as s:
        items = _render(s, list(s.scalars(common.sql_filters(query, filters, SQL_FILTERS))))
    return items


@common.retry_on_db_conflict
def update_subnet(ctxt: Any, subnet_id: str, values: common.Values) -> network_records.Subnet:
    with session.transaction() as s:
        subnet = find(s, ctxt, subnet_id)
        policy.authorize_owner(ctxt, subnet.project_id)
        values = dict(values)  # a retry must see the caller's values again
        gateway = values.get("gateway_ip", subnet.gateway_ip)
        _check_gateway(subnet.cidr, gateway)
        _check_lists(values, subnet.ip_version)
        pools = values.get("allocation_pools") or [
            (pool.first_ip, pool.last_ip) for pool in subnet.allocation_pools]
        ipam.validate_pools(subnet.cidr, gateway, pools)
        for key in ("name", "description", "gateway_ip", "enable_dhcp"):
            if key in values:
                setattr(subnet, key, values[key])
        _set_lists(subnet, values)
        common.bump(subnet)
        s.flush()
        return _render(s, [subnet])[0]


def _release_auto_addresses(s: orm.Session, subnet: models.Subnet) -> list[str]:
    """Take the SLAAC addresses of a subnet from the ports (routers' excepted) that have
    them; the ids of those ports."""
    query = sa.select(models.Port).join(models.IPAllocation).where(
        models.IPAllocation.subnet_id == subnet.id,
        models.Port.device_owner.not_in(ipam.ROUTER_OWNERS))
    ports = list(s.scalars(query))
    for port in ports:
        for allocation in [ip for ip in port.fixed_ips if ip.subnet_id == subnet.id]:
            port.fixed_ips.remove(allocation)
        common.bump(port)
    s.flush()
    return [port.id for port in ports]


@common.retry_on_db_conflict
def delete_subnet(ctxt: Any, subnet_id: str) -> list[tuple[str, str]]:
    """A subnet with any address allocated (router interfaces too) is a 409, except
    automatic (SLAAC) addresses, which go with it as in Neutron. Returns the ports that
    lost one, as ("port", id), for the network agent to sync too."""
    with session.transaction() as s:
        subnet = find(s, ctxt, subnet_id)
        policy.authorize_owner(ctxt, subnet.project_id)
        released = _release_auto_addresses(s, subnet) if ipam.is_slaac(subnet) else []
        if ipam.in_use(s, subnet.id):
            raise exceptions.SubnetInUse(subnet_id=subnet.id)
        common.delete_tags(s, subnet.id)
        net = subnet.network
        net.subnets.remove(subnet)
        common.bump(net)
        return [("port", port_id) for port_id in released]

"""Ports: a network attachment with a MAC, fixed IPs from the IPAM, port security
(security groups, allowed address pairs), a host binding and a DNS name
(see common.db.api.network)."""
import collections
from collections.abc import Sequence
from typing import Any

import netaddr
import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import ipam, network_quotas, network_records
from common.db.api import network as networks
from common.db.api import network_common as common
from common.db.api import network_security_groups as security_groups

ROUTER_INTERFACE = "network:router_interface"
ROUTER_GATEWAY = "network:router_gateway"
FLOATINGIP = "network:floatingip"
# Ports the router and floating IP APIs own: the port API cannot delete them.
SERVICE_OWNERS = (ROUTER_INTERFACE, ROUTER_GATEWAY, FLOATINGIP)


# What a port's create reads of its network (the subnets and their pools) and of its
# security groups (the owner): their other relationships would cost a query each.
_NETWORK_FOR_PORTS = (orm.selectinload(models.Network.subnets).options(
    orm.lazyload(models.Subnet.dns_nameservers), orm.lazyload(models.Subnet.host_routes)),)
_GROUP_OWNER = (orm.lazyload(models.SecurityGroup.rules),)
SQL_FILTERS = {"id": models.Port.id, "name": models.Port.name,
               "network_id": models.Port.network_id, "device_id": models.Port.device_id,
               "device_owner": models.Port.device_owner,
               "mac_address": models.Port.mac_address, "project_id": models.Port.project_id,
               "tenant_id": models.Port.project_id}


def find(s: orm.Session, ctxt: Any, port_id: str) -> models.Port:
    """The port, if the caller owns it or the network it is on (all for admins)."""
    port = s.get(models.Port, port_id)
    if port is None or not (common.owns(ctxt, port) or _owns_network(s, ctxt, port)):
        raise exceptions.PortNotFound(port_id=port_id)
    return port


def _owns_network(s: orm.Session, ctxt: Any, port: models.Port) -> bool:
    return s.get_one(models.Network, port.network_id).project_id == ctxt.project_id


def render(s: orm.Session, ports: Sequence[models.Port]) -> list[network_records.Port]:
    tags = common.tags_of(s, [port.id for port in ports])
    net_ids = {port.network_id for port in ports}
    domains = dict(s.execute(sa.select(models.Network.id, models.Network.dns_domain).where(
        models.Network.id.in_(net_ids))).all()) if net_ids else {}
    return [network_records.port(port, tags[port.id], domains.get(port.network_id, ""))
            for port in ports]


# --- building ports (also used by routers and floating IPs) -------------------------------

def new_port(s: orm.Session, net: models.Network, project_id: str, device_owner: str,
             device_id: str, fixed_ips: list[dict] | None = None,
             mac_address: str | None = None) -> models.Port:
    """A port with a MAC and addresses from the IPAM, added to the session."""
    mac = ipam.allocate_mac(s, net.id, mac_address)
    allocations = ipam.allocate(s, net, mac, device_owner, fixed_ips)
    port = models.Port(
        id=models.base.new_uuid(), project_id=project_id, network_id=net.id, name="",
        description="", mac_address=mac, admin_state_up=True, status=models.network.DOWN,
        device_id=device_id, device_owner=device_owner, binding_host_id="",
        binding_vif_type="unbound", binding_vnic_type="normal", binding_profile={},
        port_security_enabled=False, dns_name="", revision_number=1,
        fixed_ips=[models.IPAllocation(subnet_id=subnet_id, ip_address=ip)
                   for subnet_id, ip in allocations],
        allowed_address_pairs=[], security_group_bindings=[])
    s.add(port)
    return port


def _security_groups(s: orm.Session, ctxt: Any, port: models.Port,
                     values: common.Values, loaded: dict) -> None:
    if "security_groups" in values:
        sg_ids = list(dict.fromkeys(values["security_groups"]))
        for sg_id in sg_ids:
            sg = _load(loaded, ("sg", sg_id),
                       lambda i=sg_id: s.get(models.SecurityGroup, i, options=_GROUP_OWNER))
            if sg is None or not (common.is_admin(ctxt) or sg.project_id == port.project_id):
                raise exceptions.SecurityGroupNotFound(id=sg_id)
        port.security_group_bindings = [
            models.SecurityGroupPortBinding(security_group_id=sg_id) for sg_id in sg_ids]
    if port.security_group_bindings and not port.port_security_enabled:
        raise exceptions.PortSecurityAndIPRequiredForSecurityGroups()


def _address_pairs(port: models.Port, values: common.Values) -> None:
    if "allowed_address_pairs" in values:
        pairs = {(pair["mac_address"] or port.mac_address, pair["ip_address"])
                 for pair in values["allowed_address_pairs"]}
        if len(pairs) != len(values["allowed_address_pairs"]):
            raise common.invalid("Duplicate address pair")
        if len(pairs) > CONF.network.max_allowed_address_pair:
            raise exceptions.Conflict(f"Number of address pairs exceeds the maximum of "
                                      f"{CONF.network.max_allowed_address_pair}.")
        port.allowed_address_pairs = [
            models.AllowedAddressPair(mac_address=mac, ip_address=ip) for mac, ip in pairs]
    if port.allowed_address_pairs and not port.port_security_enabled:
        raise exceptions.AddressPairAndPortSecurityRequired()


def _binding(port: models.Port, values: common.Values) -> None:
    if "binding:host_id" in values:
        port.binding_host_id = values["binding:host_id"]
        port.binding_vif_type = "ovs" if port.binding_host_id else "unbound"
    if "binding:profile" in values:
        port.binding_profile = values["binding:profile"]


def _simple(port: models.Port, values: common.Values) -> None:
    for key in ("name", "description", "admin_state_up", "device_id", "device_owner",
                "dns_name", "port_security_enabled"):
        if key in values:
            setattr(port, key, values[key])


# --- the domain functions ---------------------------------------------------------------

def _load(loaded: dict, key: tuple, load: Any) -> Any:
    """Objects a bulk create uses again and again, kept referenced (the session's
    identity map holds them weakly) so they are read once."""
    if key not in loaded:
        loaded[key] = load()
    return loaded[key]


def _create(s: orm.Session, ctxt: Any, values: common.Values, loaded: dict) -> models.Port:
    values = dict(values)  # a retry must see the caller's values again
    if "network_id" not in values:
        raise common.invalid("network_id is required")
    net_id = values.pop("network_id")
    net = _load(loaded, ("network", net_id),
                lambda: networks.find(s, ctxt, net_id, _NETWORK_FOR_PORTS))
    project_id = common.owner_of_new(ctxt, values)
    device_owner = values.get("device_owner", "")
    port = new_port(s, net, project_id, device_owner, values.get("device_id", ""),
                    values.get("fixed_ips"), values.get("mac_address"))
    port.port_security_enabled = values.get("port_security_enabled",
                                            net.port_security_enabled)
    _simple(port, values)
    _binding(port, values)
    if ("security_groups" not in values and port.port_security_enabled
            and not device_owner.startswith("network:")):
        values["security_groups"] = [_load(
            loaded, ("default", project_id),
            lambda: security_groups.ensure_default(s, project_id))]
    _security_groups(s, ctxt, port, values, loaded)
    _address_pairs(port, values)
    return port


def _check_quotas(s: orm.Session, ctxt: Any, items: list[common.Values]) -> None:
    projects = collections.Counter(
        values.get("project_id") or values.get("tenant_id") or ctxt.project_id or ""
        for values in items)
    for project_id, count in projects.items():
        network_quotas.check(s, project_id, "port", adding=count)


@common.retry_on_db_conflict
def create_ports(ctxt: Any, items: list[common.Values]) -> list[network_records.Port]:
    """Bulk create: all ports or none, in one transaction and one flush (the database
    gets the rows of each table in a batch)."""
    with session.transaction() as s:
        _check_quotas(s, ctxt, items)
        loaded: dict = {}
        with s.no_autoflush:
            ports = [_create(s, ctxt, values, loaded) for values in items]
        s.flush()
        return render(s, ports)


def create_port(ctxt: Any, values: common.Values) -> network_records.Port:
    return create_ports(ctxt, [values])[0]


def get_port(ctxt: Any, port_id: str) -> network_records.Port:
    with session.reader() as s:
        return render(s, [find(s, ctxt, port_id)])[0]


def list_ports(ctxt: Any, filters: common.Filters | None = None) -> list[network_records.Port]:
    query = sa.select(models.Port)
    if not common.is_admin(ctxt):
        own_networks = sa.select(models.Network.id).where(
            models.Network.project_id == ctxt.project_id)
        query = query.where(sa.or_(models.Port.project_id == ctxt.project_id,
                                   models.Port.network_id.in_(own_networks)))
    with session.reader() as s:
        items = render(s, list(s.scalars(common.sql_filters(query, filters, SQL_FILTERS))))
    return items


def _update_fixed_ips(s: orm.Session, port: models.Port, requested: list[dict]) -> None:
    """Keep the requested addresses the port has, allocate the new ones, free the rest."""
    net = s.get_one(models.Network, port.network_id)
    current = {(ip.subnet_id, ip.ip_address): ip for ip in port.fixed_ips}
    keep, new = [], []
    for item in requested:
        match = [key for key in current
                 if item.get("ip_address", key[1]) == key[1]
                 and item.get("subnet_id", key[0]) == key[0] and key not in keep]
        if match:
            keep.append(match[0])
        else:
            new.append(item)
    for key, allocation in current.items():
        if key not in keep:
            port.fixed_ips.remove(allocation)
            ipam.release(s, *key)
    s.flush()  # free the released rows before their addresses may be taken again
    for subnet_id, ip in ipam.allocate(s, net, port.mac_address, port.device_owner, new):
        port.fixed_ips.append(models.IPAllocation(subnet_id=subnet_id, ip_address=ip))


@common.retry_on_db_conflict
def update_port(ctxt: Any, port_id: str, values: common.Values) -> network_records.Port:
    with session.transaction() as s:
        port = find(s, ctxt, port_id)
        values = dict(values)  # a retry must see the caller's values again
        if "mac_address" in values and values["mac_address"] != port.mac_address:
            if port.binding_host_id:
                raise exceptions.Conflict(f"Port {port.id} is bound: its MAC cannot change.")
            port.mac_address = ipam.allocate_mac(s, port.network_id, values["mac_address"])
        if "fixed_ips" in values:
            _update_fixed_ips(s, port, values["fixed_ips"])
        _simple(port, values)
        _binding(port, values)
        _security_groups(s, ctxt, port, values, {})
        _address_pairs(port, values)
        common.bump(port)
        s.flush()
        return render(s, [port])[0]


def delete_port_in_session(s: orm.Session, port: models.Port) -> None:
    """Delete a port: its addresses return to the pools, its floating IPs let go of it."""
    fips = s.scalars(sa.select(models.FloatingIP).where(
        models.FloatingIP.fixed_port_id == port.id))
    for fip in fips:
        fip.fixed_port_id = fip.fixed_ip_address = fip.router_id = None
        fip.status = models.network.DOWN
        common.bump(fip)
    for ip in port.fixed_ips:
        ipam.release(s, ip.subnet_id, ip.ip_address)
    common.delete_tags(s, port.id)
    s.delete(port)
    s.flush()


@common.retry_on_db_conflict
def delete_port(ctxt: Any, port_id: str) -> None:
    """Router and floating IP ports are a 409: their own APIs remove them."""
    with session.transaction() as s:
        port = find(s, ctxt, port_id)
        if port.device_owner in SERVICE_OWNERS:
            raise exceptions.Conflict(
                f"Port {port.id} cannot be deleted directly via the port API: has device "
                f"owner {port.device_owner}.")
        delete_port_in_session(s, port)


def ipv4_addresses(port: models.Port) -> list[str]:
    return [ip.ip_address for ip in port.fixed_ips
            if netaddr.IPAddress(ip.ip_address).version == 4]

"""Networking resources as the typed records the domain functions return and the
network agent is handed: Neutron's field names and shapes (``router:external``,
``provider:network_type``, ``binding:host_id``), built from the rows while their session
is open. What only the API shows (``tenant_id``, the constant fields of extensions
Strato does not implement) is added by services/api/network/views/resources.py."""
from typing import Any, TypedDict

from common.config import CONF
from common.db import models
from common.db.api.network_common import isotime


class _Standard(TypedDict):
    id: str
    project_id: str
    description: str
    tags: list[str]
    created_at: str | None
    updated_at: str | None
    revision_number: int


def _standard(obj: Any, tags: list[str]) -> _Standard:
    return {
        "id": obj.id,
        "project_id": obj.project_id,
        "description": obj.description,
        "tags": list(tags),
        "created_at": isotime(obj.created_at),
        "updated_at": isotime(obj.updated_at or obj.created_at),
        "revision_number": obj.revision_number,
    }


# Neutron's extension attributes are named with a colon: a functional TypedDict each.
_NetworkExtensions = TypedDict("_NetworkExtensions", {
    "router:external": bool, "provider:network_type": str,
    "provider:physical_network": str | None, "provider:segmentation_id": int | None})


class Network(_Standard, _NetworkExtensions):
    name: str
    admin_state_up: bool
    status: str
    shared: bool
    mtu: int
    dns_domain: str
    port_security_enabled: bool
    subnets: list[str]


def network(net: models.Network, tags: list[str]) -> Network:
    return {
        **_standard(net, tags),
        "name": net.name,
        "admin_state_up": net.admin_state_up,
        "status": net.status,
        "shared": net.shared,
        "router:external": net.external,
        "provider:network_type": net.network_type,
        "provider:physical_network": net.physical_network,
        "provider:segmentation_id": net.segmentation_id,
        "mtu": net.mtu,
        "dns_domain": net.dns_domain,
        "port_security_enabled": net.port_security_enabled,
        "subnets": [subnet.id for subnet in net.subnets],
    }


_SubnetExtensions = TypedDict("_SubnetExtensions", {"router:external": bool})


class Subnet(_Standard, _SubnetExtensions):
    name: str
    network_id: str
    ip_version: int
    cidr: str
    gateway_ip: str | None
    enable_dhcp: bool
    ipv6_ra_mode: str | None
    ipv6_address_mode: str | None
    allocation_pools: list[dict[str, str]]
    dns_nameservers: list[str]
    host_routes: list[dict[str, str]]


def subnet(sn: models.Subnet, tags: list[str]) -> Subnet:
    return {
        **_standard(sn, tags),
        "name": sn.name,
        "network_id": sn.network_id,
        "ip_version": sn.ip_version,
        "cidr": sn.cidr,
        "gateway_ip": sn.gateway_ip,
        "enable_dhcp": sn.enable_dhcp,
        "router:external": sn.network.external,
        "ipv6_ra_mode": sn.ipv6_ra_mode,
        "ipv6_address_mode": sn.ipv6_address_mode,
        "allocation_pools": [{"start": pool.first_ip, "end": pool.last_ip}
                             for pool in sn.allocation_pools],
        "dns_nameservers": [server.address for server in sn.dns_nameservers],
        "host_routes": [{"destination": route.destination, "nexthop": route.nexthop}
                        for route in sn.host_routes],
    }


_PortExtensions = TypedDict("_PortExtensions", {
    "binding:host_id": str, "binding:vif_type": str, "binding:vnic_type": str,
    "binding:profile": dict[str, Any]})


class Port(_Standard, _PortExtensions):
    name: str
    network_id: str
    mac_address: str
    admin_state_up: bool
    status: str
    device_id: str
    device_owner: str
    fixed_ips: list[dict[str, str]]
    allowed_address_pairs: list[dict[str, Any]]
    security_groups: list[str]
    port_security_enabled: bool
    dns_name: str
    dns_assignment: list[dict[str, str]]


def port(p: models.Port, tags: list[str], dns_domain: str = "") -> Port:
    fixed_ips = [{"subnet_id": ip.subnet_id, "ip_address": ip.ip_address}
                 for ip in p.fixed_ips]
    return {
        **_standard(p, tags),
        "name": p.name,
        "network_id": p.network_id,
        "mac_address": p.mac_address,
        "admin_state_up": p.admin_state_up,
        "status": p.status,
        "device_id": p.device_id,
        "device_owner": p.device_owner,
        "fixed_ips": fixed_ips,
        "allowed_address_pairs": [{"ip_address": pair.ip_address,
                                   "mac_address": pair.mac_address}
                                  for pair in p.allowed_address_pairs],
        "security_groups": sorted(binding.security_group_id
                                  for binding in p.security_group_bindings),
        "port_security_enabled": p.port_security_enabled,
        "binding:host_id": p.binding_host_id,
        "binding:vif_type": p.binding_vif_type,
        "binding:vnic_type": p.binding_vnic_type,
        "binding:profile": p.binding_profile or {},
        "dns_name": p.dns_name,
        "dns_assignment": dns_assignment(p.dns_name, fixed_ips, dns_domain),
    }


def dns_assignment(dns_name: str, fixed_ips: list[dict], dns_domain: str) -> list[dict]:
    """Neutron's hostname/fqdn per fixed IP: the dns_name, else host-<address>."""
    domain = (dns_domain or CONF.network.dns_domain).strip(".")
    assignment = []
    for ip in fixed_ips:
        hostname = dns_name or "host-" + ip["ip_address"].replace(".", "-").replace(":", "-")
        assignment.append({"hostname": hostname, "ip_address": ip["ip_address"],
                           "fqdn": f"{hostname}.{domain}." if domain else f"{hostname}."})
    return assignment


class Router(_Standard):
    name: str
    admin_state_up: bool
    status: str
    external_gateway_info: dict[str, Any] | None
    routes: list[dict[str, str]]


def router(r: models.Router, tags: list[str]) -> Router:
    gateway = None
    if r.gw_port is not None:
        gateway = {
            "network_id": r.gw_port.network_id,
            "enable_snat": r.enable_snat,
            "external_fixed_ips": [{"subnet_id": ip.subnet_id, "ip_address": ip.ip_address}
                                   for ip in r.gw_port.fixed_ips],
        }
    return {
        **_standard(r, tags),
        "name": r.name,
        "admin_state_up": r.admin_state_up,
        "status": r.status,
        "external_gateway_info": gateway,
        "routes": [{"destination": route.destination, "nexthop": route.nexthop}
                   for route in sorted(r.routes, key=lambda x: (x.destination, x.nexthop))],
    }


class FloatingIP(_Standard):
    floating_network_id: str
    floating_ip_address: str
    port_id: str | None
    fixed_ip_address: str | None
    router_id: str | None
    status: str


def floatingip(fip: models.FloatingIP, tags: list[str]) -> FloatingIP:
    return {
        **_standard(fip, tags),
        "floating_network_id": fip.floating_network_id,
        "floating_ip_address": fip.floating_ip_address,
        "port_id": fip.fixed_port_id,
        "fixed_ip_address": fip.fixed_ip_address,
        "router_id": fip.router_id,
        "status": fip.status,
    }


class SecurityGroupRule(_Standard):
    security_group_id: str
    direction: str
    ethertype: str
    protocol: str | None
    port_range_min: int | None
    port_range_max: int | None
    remote_ip_prefix: str | None
    remote_group_id: str | None


def security_group_rule(rule: models.SecurityGroupRule,
                        tags: list[str]) -> SecurityGroupRule:
    return {
        **_standard(rule, tags),
        "security_group_id": rule.security_group_id,
        "direction": rule.direction,
        "ethertype": rule.ethertype,
        "protocol": rule.protocol,
        "port_range_min": rule.port_range_min,
        "port_range_max": rule.port_range_max,
        "remote_ip_prefix": rule.remote_ip_prefix,
        "remote_group_id": rule.remote_group_id,
    }


class SecurityGroup(_Standard):
    name: str
    stateful: bool
    security_group_rules: list[SecurityGroupRule]


def security_group(sg: models.SecurityGroup, tags: list[str]) -> SecurityGroup:
    return {
        **_standard(sg, tags),
        "name": sg.name,
        "stateful": sg.stateful,
        "security_group_rules": [security_group_rule(rule, []) for rule in sg.rules],
    }

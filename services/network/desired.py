"""The desired-state builder: a snapshot of the networking resources (from the conductor,
see common.db.api.network_state) becomes the OVN northbound rows that realize it.

network → Logical_Switch (+ a localnet port on a physical network) and a DHCP_Options row
per DHCP subnet; port → Logical_Switch_Port (addresses, port security with allowed address
pairs, DHCP options, requested-chassis) and its port group memberships; router →
Logical_Router with a port per interface, a gateway port on its gateway chassis, the
default and static routes, SNAT per internal IPv4 subnet and dnat_and_snat per floating
IP; security group → Port_Group with an ACL per rule and IPv4/IPv6 Address_Sets of its
members' addresses (for rules with a remote group). Ports with port security are also in
a drop-everything port group whose ACLs have a lower priority than the groups' allows.

Pure functions of their input: no I/O.
"""
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import netaddr

from common import ip_protocols, ovn_names
from services.network.ovn import rows
from services.network.ovn.rows import Member, Ref, Row, make

SG_PRIORITY = 1002
DROP_PRIORITY = 1001
ROUTER_INTERFACE = "network:router_interface"
ROUTER_GATEWAY = "network:router_gateway"
NO_SWITCH_PORT = ("network:floatingip",)  # addresses only, nothing to plug
RA_MODES = {"slaac": "slaac", "dhcpv6-stateful": "dhcpv6_stateful",
            "dhcpv6-stateless": "dhcpv6_stateless"}
PROTOCOL_MATCH = {6: "tcp", 17: "udp", 132: "sctp"}


class Desired:
    """Rows and port group memberships, looked up by identity."""

    def __init__(self, row_list: Sequence[Row], members: Sequence[Member]) -> None:
        self.rows = {row.ident: row for row in row_list}
        self.members = set(members)


def build(snapshot: dict[str, Any], gateway_chassis: Sequence[str],
          dns_domain: str, lease_time: int, dns_servers: Sequence[str]) -> Desired:
    """All rows the snapshot's resources need (the caller keeps those in its scopes)."""
    subnets = {subnet["id"]: subnet for subnet in snapshot["subnets"]}
    networks = {net["id"]: net for net in snapshot["networks"]}
    dhcp = _DhcpSettings(dns_domain, lease_time, dns_servers)
    row_list: list[Row] = list(_drop_group())
    members: list[Member] = []
    for net in networks.values():
        row_list += _network(net, [s for s in subnets.values() if s["network_id"] == net["id"]],
                             dhcp)
    for port in snapshot["ports"]:
        if port["device_owner"] not in NO_SWITCH_PORT:
            row_list.append(_switch_port(port, subnets))
            members += _memberships(port)
    for router in snapshot["routers"]:
        row_list += _router(router, snapshot["ports"], subnets, snapshot["floatingips"],
                            gateway_chassis)
    for sg in snapshot["security_groups"]:
        row_list += _security_group(sg, snapshot["sg_addresses"].get(sg["id"], []))
    return Desired(row_list, members)


# --- networks and DHCP ---------------------------------------------------------------------

class _DhcpSettings:
    def __init__(self, dns_domain: str, lease_time: int, dns_servers: Sequence[str]) -> None:
        self.dns_domain = dns_domain
        self.lease_time = lease_time
        self.dns_servers = list(dns_servers)


def _network(net: dict, subnets: list[dict], dhcp: _DhcpSettings) -> Iterator[Row]:
    scope = ("network", net["id"])
    ids = {"network": net["id"], "revision": net["revision_number"]}
    yield make("Logical_Switch", ovn_names.switch_name(net["id"]), scope,
               {**ids, "network_name": net["name"]},
               other_config={"mcast_snoop": "false"})
    if net["provider:physical_network"]:
        vlan = net["provider:segmentation_id"] if net["provider:network_type"] == "vlan" else None
        yield make("Logical_Switch_Port", ovn_names.localnet_name(net["id"]), scope, ids,
                   parent=ovn_names.switch_name(net["id"]), type="localnet", addresses=["unknown"],
                   options={"network_name": net["provider:physical_network"]},
                   tag=[vlan] if vlan else [])
    for subnet in subnets:
        options = _dhcp_options(net, subnet, dhcp)
        if options is not None:
            yield make("DHCP_Options", subnet["id"], scope,
                       {"network": net["id"], "subnet": subnet["id"],
                        "revision": subnet["revision_number"]},
                       cidr=subnet["cidr"], options=options)


def server_mac(subnet_id: str) -> str:
    """A stable MAC for the DHCP server of a subnet (no state to keep: derived from the id)."""
    digest = hashlib.sha256(subnet_id.encode()).digest()
    return "fa:16:3e:" + ":".join(f"{byte:02x}" for byte in digest[:3])


def _has_dhcp(subnet: dict) -> bool:
    if not subnet["enable_dhcp"]:
        return False
    return subnet["ip_version"] == 4 or subnet["ipv6_address_mode"] in (
        "dhcpv6-stateful", "dhcpv6-stateless")


def _dhcp_options(net: dict, subnet: dict, dhcp: _DhcpSettings) -> dict[str, str] | None:
    if not _has_dhcp(subnet):
        return None
    servers = subnet["dns_nameservers"] or dhcp.dns_servers
    domain = (net["dns_domain"] or dhcp.dns_domain).strip(".")
    if subnet["ip_version"] == 6:
        options = {"server_id": server_mac(subnet["id"])}
        if subnet["ipv6_address_mode"] == "dhcpv6-stateless":
            options["dhcpv6_stateless"] = "true"
        if servers:
            options["dns_server"] = "{" + ", ".join(servers) + "}"
        if domain:
            options["domain_search"] = f'"{domain}"'
        return options
    net_cidr = netaddr.IPNetwork(subnet["cidr"])
    server_id = subnet["gateway_ip"] or str(netaddr.IPAddress(net_cidr.first + 1))
    options = {"server_id": server_id, "server_mac": server_mac(subnet["id"]),
               "lease_time": str(dhcp.lease_time), "mtu": str(net["mtu"])}
    if subnet["gateway_ip"]:
        options["router"] = subnet["gateway_ip"]
    if servers:
        options["dns_server"] = "{" + ", ".join(servers) + "}"
    if domain:
        options["domain_name"] = f'"{domain}"'
    routes = _classless_routes(subnet)
    if routes:
        options["classless_static_route"] = routes
    return options


def _classless_routes(subnet: dict) -> str | None:
    """Host routes as option 121; the default route must be repeated there, because a
    client that gets option 121 ignores the router option."""
    if not subnet["host_routes"]:
        return None
    routes = [f"{route['destination']},{route['nexthop']}" for route in subnet["host_routes"]]
    if subnet["gateway_ip"]:
        routes.append(f"0.0.0.0/0,{subnet['gateway_ip']}")
    return "{" + ", ".join(routes) + "}"


# --- ports -------------------------------------------------------------------------------

def _is_router_port(port: dict) -> bool:
    return port["device_owner"] in (ROUTER_INTERFACE, ROUTER_GATEWAY)


def _switch_port(port: dict, subnets: dict[str, dict]) -> Row:
    # The scope (port:<id>) names the port already; external_ids stay small because
    # every byte of thousands of ports is parsed again by the IDL of every client.
    ids = {"revision": port["revision_number"]}
    common: dict[str, Any] = {"parent": ovn_names.switch_name(port["network_id"]),
                              "enabled": [port["admin_state_up"]]}
    if _is_router_port(port):
        options = {"router-port": ovn_names.router_port_name(port["id"])}
        if port["device_owner"] == ROUTER_GATEWAY:
            options["nat-addresses"] = "router"  # GARPs for the SNAT/floating addresses
        return make("Logical_Switch_Port", port["id"], ("port", port["id"]),
                    {**ids, "router": port["device_id"]}, type="router",
                    addresses=["router"], options=options, **common)
    ips = [ip["ip_address"] for ip in port["fixed_ips"]]
    address = " ".join([port["mac_address"], *ips])
    security = []
    if port["port_security_enabled"]:
        security = [address] + [f"{pair['mac_address']} {pair['ip_address']}"
                                for pair in port["allowed_address_pairs"]]
    options = _binding_options(port)
    return make("Logical_Switch_Port", port["id"], ("port", port["id"]), ids,
                addresses=[address] if port["port_security_enabled"] else [address, "unknown"],
                port_security=security, options=options,
                dhcpv4_options=_dhcp_ref(port, subnets, 4),
                dhcpv6_options=_dhcp_ref(port, subnets, 6), **common)


def _binding_options(port: dict) -> dict[str, str]:
    """The chassis that may claim the port: its host's; during a live migration
    (``binding:profile`` ``migrating_to``) the destination's too, which takes the port
    over when the moved guest announces itself (RARP), as the OVN docs describe."""
    host = port["binding:host_id"]
    if not host:
        return {}
    destination = (port.get("binding:profile") or {}).get("migrating_to")
    if destination and destination != host:
        return {"requested-chassis": f"{host},{destination}",
                "activation-strategy": "rarp"}
    return {"requested-chassis": host}


def _dhcp_ref(port: dict, subnets: dict[str, dict], version: int) -> list[Ref]:
    for ip in port["fixed_ips"]:
        subnet = subnets.get(ip["subnet_id"])
        if subnet and subnet["ip_version"] == version and _has_dhcp(subnet):
            return [Ref("DHCP_Options", subnet["id"])]
    return []


def _memberships(port: dict) -> list[Member]:
    if _is_router_port(port) or not port["port_security_enabled"]:
        return []
    groups = [ovn_names.DROP_PORT_GROUP] + [ovn_names.port_group_name(sg) for sg in
                                       port["security_groups"]]
    return [Member(group, port["id"]) for group in groups]


# --- routers -------------------------------------------------------------------------------

def _networks_of(port: dict, subnets: dict[str, dict]) -> list[str]:
    return [f"{ip['ip_address']}/{netaddr.IPNetwork(subnets[ip['subnet_id']]['cidr']).prefixlen}"
            for ip in port["fixed_ips"] if ip["subnet_id"] in subnets]


def _router(router: dict, ports: list[dict], subnets: dict[str, dict], fips: list[dict],
            gateway_chassis: Sequence[str]) -> Iterator[Row]:
    scope = ("router", router["id"])
    name = ovn_names.router_name(router["id"])
    ids = {"router": router["id"], "revision": router["revision_number"]}
    yield make("Logical_Router", name, scope, {**ids, "router_name": router["name"]},
               enabled=[router["admin_state_up"]])
    own = [port for port in ports if port["device_id"] == router["id"]]
    interfaces = [port for port in own if port["device_owner"] == ROUTER_INTERFACE]
    gateway = next((port for port in own if port["device_owner"] == ROUTER_GATEWAY), None)
    for port in interfaces:
        yield make("Logical_Router_Port", ovn_names.router_port_name(port["id"]), scope,
                   {"router": router["id"], "port": port["id"]}, parent=name,
                   mac=port["mac_address"], networks=_networks_of(port, subnets),
                   ipv6_ra_configs=_ra_configs(port, subnets))
    for destination, nexthop in _routes(router, gateway, subnets):
        yield make("Logical_Router_Static_Route", f"{destination} via {nexthop}", scope,
                   {"router": router["id"]}, parent=name, ip_prefix=destination,
                   nexthop=nexthop)
    if gateway is not None and router["external_gateway_info"]:
        yield from _gateway(router, gateway, interfaces, subnets, fips, gateway_chassis)


def _ra_configs(port: dict, subnets: dict[str, dict]) -> dict[str, str]:
    for ip in port["fixed_ips"]:
        subnet = subnets.get(ip["subnet_id"])
        if subnet and subnet["ip_version"] == 6 and subnet["ipv6_ra_mode"] in RA_MODES:
            return {"address_mode": RA_MODES[subnet["ipv6_ra_mode"]], "send_periodic": "true"}
    return {}


def _routes(router: dict, gateway: dict | None,
            subnets: dict[str, dict]) -> list[tuple[str, str]]:
    routes = [(route["destination"], route["nexthop"]) for route in router["routes"]]
    for ip in gateway["fixed_ips"] if gateway else []:
        subnet = subnets.get(ip["subnet_id"])
        if subnet and subnet["gateway_ip"]:
            routes.append(("0.0.0.0/0" if subnet["ip_version"] == 4 else "::/0",
                           subnet["gateway_ip"]))
    return list(dict.fromkeys(routes))


def _gateway(router: dict, gateway: dict, interfaces: list[dict], subnets: dict[str, dict],
             fips: list[dict], gateway_chassis: Sequence[str]) -> Iterator[Row]:
    scope = ("router", router["id"])
    name = ovn_names.router_name(router["id"])
    lrp = ovn_names.router_port_name(gateway["id"])
    yield make("Logical_Router_Port", lrp, scope, {"router": router["id"], "port": gateway["id"]},
               parent=name, mac=gateway["mac_address"], networks=_networks_of(gateway, subnets))
    for priority, chassis in enumerate(reversed(gateway_chassis), start=1):
        yield make("Gateway_Chassis", f"{lrp}_{chassis}", scope, {"router": router["id"]},
                   parent=lrp, chassis_name=chassis, priority=priority)
    external_ip = next((ip["ip_address"] for ip in gateway["fixed_ips"]
                        if netaddr.IPAddress(ip["ip_address"]).version == 4), None)
    if external_ip is None:
        return
    if router["external_gateway_info"]["enable_snat"]:
        internal = {subnets[ip["subnet_id"]]["cidr"] for port in interfaces
                    for ip in port["fixed_ips"] if ip["subnet_id"] in subnets
                    and subnets[ip["subnet_id"]]["ip_version"] == 4}
        for cidr in sorted(internal):
            yield _nat(router, "snat", external_ip, cidr, {})
    for fip in fips:
        if fip["router_id"] == router["id"] and fip["fixed_ip_address"]:
            yield _nat(router, "dnat_and_snat", fip["floating_ip_address"],
                       fip["fixed_ip_address"], {"floatingip": fip["id"], "port": fip["port_id"],
                                                 "revision": fip["revision_number"]})


def _nat(router: dict, kind: str, external_ip: str, logical_ip: str, ids: dict) -> Row:
    return make("NAT", f"{kind} {external_ip} {logical_ip}", ("router", router["id"]),
                {"router": router["id"], **ids}, parent=ovn_names.router_name(router["id"]),
                type=kind, external_ip=external_ip, logical_ip=logical_ip)


# --- security groups -------------------------------------------------------------------------

def _drop_group() -> Iterator[Row]:
    """Ports with port security drop all IP unless a security group ACL allows it."""
    group = ovn_names.DROP_PORT_GROUP
    yield make("Port_Group", group, rows.GLOBAL)
    for direction, port in (("from-lport", "inport"), ("to-lport", "outport")):
        match = f"{port} == @{group} && ip"
        yield _acl(group, rows.GLOBAL, direction, DROP_PRIORITY, match, "drop", {})


def _acl(group: str, scope: rows.Scope, direction: str, priority: int, match: str,
         action: str, ids: dict) -> Row:
    return make("ACL", f"{direction} {priority} {match} {action}", scope, ids, parent=group,
                direction=direction, priority=priority, match=match, action=action)


def _security_group(sg: dict, addresses: list[str]) -> Iterator[Row]:
    scope = ("security_group", sg["id"])
    group = ovn_names.port_group_name(sg["id"])
    ids = {"security_group": sg["id"], "revision": sg["revision_number"]}
    yield make("Port_Group", group, scope, {**ids, "name": sg["name"]})
    # The database holds canonical addresses: a colon marks IPv6, far cheaper than
    # parsing each of a group's thousands.
    by_version = {4: [a for a in addresses if ":" not in a],
                  6: [a for a in addresses if ":" in a]}
    for version, mine in by_version.items():
        yield make("Address_Set", ovn_names.address_set_name(sg["id"], version), scope, ids,
                   addresses=mine)
    action = "allow-related" if sg["stateful"] else "allow-stateless"
    for rule in sg["security_group_rules"]:
        direction = "to-lport" if rule["direction"] == "ingress" else "from-lport"
        yield _acl(group, scope, direction, SG_PRIORITY, acl_match(group, rule), action,
                   {"security_group": sg["id"], "security_group_rule": rule["id"]})


def acl_match(group: str, rule: dict) -> str:
    """The OVN match of a rule: ingress rules filter what leaves OVN towards the port
    (outport, remote = source), egress rules what the port sends (inport, remote =
    destination)."""
    ingress = rule["direction"] == "ingress"
    version = 4 if rule["ethertype"] == "IPv4" else 6
    ip = f"ip{version}"
    parts = [f"{'outport' if ingress else 'inport'} == @{group}", ip]
    remote = f"{ip}.{'src' if ingress else 'dst'}"
    if rule["remote_ip_prefix"]:
        prefix = netaddr.IPNetwork(rule["remote_ip_prefix"]).cidr
        if prefix.prefixlen:
            parts.append(f"{remote} == {prefix}")
    elif rule["remote_group_id"]:
        parts.append(f"{remote} == ${ovn_names.address_set_name(rule['remote_group_id'], version)}")
    parts += _protocol_match(rule, version)
    return " && ".join(parts)


def _protocol_match(rule: dict, version: int) -> list[str]:
    protocol = rule["protocol"]
    if protocol is None:
        return []
    number = ip_protocols.number(protocol)
    low, high = rule["port_range_min"], rule["port_range_max"]
    if number in ip_protocols.ICMP:
        icmp = f"icmp{version}"
        parts = [icmp]
        if low is not None:
            parts.append(f"{icmp}.type == {low}")
        if high is not None:
            parts.append(f"{icmp}.code == {high}")
        return parts
    if number in PROTOCOL_MATCH:
        name = PROTOCOL_MATCH[number]
        if low is None:
            return [name]
        if low == high:
            return [name, f"{name}.dst == {low}"]
        return [name, f"{name}.dst >= {low}", f"{name}.dst <= {high}"]
    return [f"ip.proto == {number}"]

"""IPAM and MAC allocation of the control plane.

Addresses come from a subnet's allocation pools (never its gateway) or are requested
(anywhere in the subnet). Concurrency is handled by the database, not by locks: the
allocation rows carry UNIQUE(subnet_id, ip_address) and ports UNIQUE(network_id,
mac_address), so of two requests that picked the same free address only one commits and
the other is retried whole by ``network_common.retry_on_db_conflict``. A retry picks at
random among a widening window of free addresses, so contenders spread out instead of
colliding again. Deleting a port deletes its allocation rows: the addresses are free.
"""
import random
import socket
from typing import Any

import netaddr
import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions
from common.config import CONF
from common.db import models
from common.db.api import network_common as common

SLAAC_MODES = ("slaac", "dhcpv6-stateless")
ROUTER_OWNERS = ("network:router_interface", "network:router_gateway",
                 "network:router_interface_distributed", "network:ha_router_replicated_interface")
# A retry looks at this many more free addresses than the attempt before.
WINDOW_STEP = 16


# --- MACs -----------------------------------------------------------------------------

def generate_mac() -> str:
    """A random unicast MAC under ``[network] base_mac`` (fa:16:3e:xx:xx:xx by default)."""
    base = CONF.network.base_mac.split(":")
    return ":".join(base[:3] + [f"{random.randint(0, 255):02x}" for _ in range(3)])


def normalize_mac(value: Any) -> str:
    try:
        mac = netaddr.EUI(value, dialect=netaddr.mac_unix_expanded)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise common.invalid(f"'{value}' is not a valid MAC address") from None
    if int(mac) >> 40 & 1 or int(mac) == 0:
        raise common.invalid(f"'{value}' is not a valid unicast MAC address")
    return str(mac)


def allocate_mac(s: orm.Session, network_id: str, requested: str | None = None) -> str:
    """``requested`` if free on the network (else 409), or a new random one."""
    if requested is not None:
        mac = normalize_mac(requested)
        if _mac_in_use(s, network_id, mac):
            raise exceptions.MacAddressInUse(net_id=network_id, mac=mac)
    else:
        # 2^24 random MACs per network: a clash is rare enough to leave to the UNIQUE
        # constraint (and a retry) rather than to pay a query for every port.
        mac = generate_mac()
        while (network_id, mac) in _session_macs(s):
            mac = generate_mac()
    _session_macs(s).add((network_id, mac))
    return mac


def _session_macs(s: orm.Session) -> set[tuple[str, str]]:
    """MACs picked in this transaction (a bulk create flushes only at its end)."""
    return s.info.setdefault("ipam_macs", set())


def _mac_in_use(s: orm.Session, network_id: str, mac: str) -> bool:
    if (network_id, mac) in _session_macs(s):
        return True
    query = sa.select(models.Port.id).where(models.Port.network_id == network_id,
                                            models.Port.mac_address == mac)
    return s.scalar(query.limit(1)) is not None


# --- subnets' address space -------------------------------------------------------------

def default_pools(cidr: str, gateway_ip: str | None) -> list[tuple[str, str]]:
    """The whole subnet minus network, broadcast (IPv4) and gateway, as (first, last)."""
    net = netaddr.IPNetwork(cidr)
    first = net.first + 1 if net.size > 2 or net.version == 6 else net.first
    last = net.last - 1 if net.version == 4 and net.size > 2 else net.last
    if net.version == 6 and net.prefixlen == 128:
        first = net.first
    ranges: list[tuple[int, int]] = [(first, last)]
    if gateway_ip is not None and first <= int(netaddr.IPAddress(gateway_ip)) <= last:
        gateway = int(netaddr.IPAddress(gateway_ip))
        ranges = [(first, gateway - 1), (gateway + 1, last)]
    return [(str(netaddr.IPAddress(a, net.version)), str(netaddr.IPAddress(b, net.version)))
            for a, b in ranges if a <= b]


def validate_pools(cidr: str, gateway_ip: str | None, pools: list[tuple[str, str]]) -> None:
    """Pools inside the subnet, ordered, not overlapping, not holding the gateway."""
    net = netaddr.IPNetwork(cidr)
    ranges = []
    for first, last in pools:
        start, end = netaddr.IPAddress(first), netaddr.IPAddress(last)
        if start.version != net.version or end.version != net.version:
            raise common.invalid(f"allocation pool {first}-{last} is not IPv{net.version}")
        if start not in net or end not in net or start > end:
            raise common.invalid(f"The allocation pool {first}-{last} spans beyond the "
                                 f"subnet cidr {cidr}.")
        ranges.append(netaddr.IPRange(start, end))
    ranges.sort(key=lambda r: r.first)
    for before, after in zip(ranges, ranges[1:], strict=False):
        if after.first <= before.last:
            raise common.invalid(f"Found overlapping allocation pools: {before} and {after}")
    if gateway_ip is not None:
        for pool in ranges:
            if netaddr.IPAddress(gateway_ip) in pool:
                raise exceptions.GatewayConflictWithAllocationPools(
                    ip_address=gateway_ip, pool=str(pool))


# --- fixed IPs ------------------------------------------------------------------------

def allocate(s: orm.Session, network: models.Network, mac: str, device_owner: str,
             requested: list[dict] | None) -> list[tuple[str, str]]:
    """(subnet_id, ip_address) pairs for a new port, from ``requested`` fixed_ips or, when
    None, Neutron's default: one IPv4 address, one stateful IPv6 address and one SLAAC
    address per SLAAC subnet. The caller adds the rows in the same session."""
    if requested is None:
        return _allocate_default(s, network, mac)
    result = []
    for item in requested:
        subnet, ip = _resolve_request(network, item)
        if ip is None:
            ip = (_slaac_address(subnet, mac) if is_slaac(subnet) else _next_free(s, subnet))
            if ip is None:
                raise exceptions.IpAddressGenerationFailure(net_id=network.id)
        else:
            check_requested(s, subnet, ip, device_owner)
        _take(s, subnet.id, ip)
        result.append((subnet.id, ip))
    return result


def release(s: orm.Session, subnet_id: str, ip: str) -> None:
    """Forget an address this session freed (the caller deletes its row)."""
    address = _int(ip)
    _used(s, subnet_id).discard(address)
    hints = _hints(s)
    if subnet_id in hints:
        hints[subnet_id] = min(hints[subnet_id], address)


def _allocate_default(s: orm.Session, network: models.Network,
                      mac: str) -> list[tuple[str, str]]:
    result = []
    for version in (4, 6):
        stateful = [subnet for subnet in network.subnets
                    if subnet.ip_version == version and not is_slaac(subnet)]
        if not stateful:
            continue
        for subnet in stateful:
            ip = _next_free(s, subnet)
            if ip is not None:
                _take(s, subnet.id, ip)
                result.append((subnet.id, ip))
                break
        else:
            raise exceptions.IpAddressGenerationFailure(net_id=network.id)
    for subnet in network.subnets:
        if is_slaac(subnet):
            ip = _slaac_address(subnet, mac)
            _take(s, subnet.id, ip)
            result.append((subnet.id, ip))
    return result


def is_slaac(subnet: models.Subnet) -> bool:
    return subnet.ip_version == 6 and subnet.ipv6_address_mode in SLAAC_MODES


def _slaac_address(subnet: models.Subnet, mac: str) -> str:
    """The EUI-64 address a host autoconfigures from its MAC on a /64."""
    prefix = netaddr.IPNetwork(subnet.cidr)
    return str(netaddr.EUI(mac).ipv6(prefix.first))


def _resolve_request(network: models.Network,
                     item: dict) -> tuple[models.Subnet, str | None]:
    subnet_id, ip = item.get("subnet_id"), item.get("ip_address")
    if subnet_id is None and ip is None:
        raise common.invalid("a fixed IP needs a subnet_id or an ip_address")
    if subnet_id is not None:
        subnet = next((sn for sn in network.subnets if sn.id == subnet_id), None)
        if subnet is None:
            raise common.invalid(f"Failed to create port on network {network.id}, because "
                                 f"fixed_ips included invalid subnet {subnet_id}")
        if ip is not None and netaddr.IPAddress(ip) not in netaddr.IPNetwork(subnet.cidr):
            raise common.invalid(f"IP address {ip} is not a valid IP for the specified "
                                 "subnet.")
        return subnet, ip
    subnet = next((sn for sn in network.subnets
                   if netaddr.IPAddress(ip) in netaddr.IPNetwork(sn.cidr)), None)
    if subnet is None:
        raise common.invalid(f"IP address {ip} is not a valid IP for any subnet on network "
                             f"{network.id}")
    return subnet, ip


def check_requested(s: orm.Session, subnet: models.Subnet, ip: str, device_owner: str) -> None:
    """A requested address: inside the subnet, not its network/broadcast address, the
    gateway only for router ports, and free (else IpAddressAlreadyAllocated)."""
    net = netaddr.IPNetwork(subnet.cidr)
    address = _int(ip)
    if net.version == 4 and net.size > 2 and address in (net.first, net.last):
        raise common.invalid(f"IP address {ip} is not a valid IP for the specified subnet.")
    if ip == subnet.gateway_ip and device_owner not in ROUTER_OWNERS:
        raise exceptions.IpAddressAlreadyAllocated(ip=ip, subnet_id=subnet.id)
    if address in _used(s, subnet.id):
        raise exceptions.IpAddressAlreadyAllocated(ip=ip, subnet_id=subnet.id)


def _used(s: orm.Session, subnet_id: str) -> set[int]:
    """The subnet's allocated addresses, read once per transaction and kept up to date
    by this module (a bulk create must not re-read them for every port)."""
    cache = s.info.setdefault("ipam_used", {})
    if subnet_id not in cache:
        query = sa.select(models.IPAllocation.ip_address).where(
            models.IPAllocation.subnet_id == subnet_id)
        cache[subnet_id] = {_int(ip) for ip in s.scalars(query)}
    return cache[subnet_id]


def _take(s: orm.Session, subnet_id: str, ip: str) -> None:
    _used(s, subnet_id).add(_int(ip))


def _int(ip: str) -> int:
    # inet_pton parses in C, several times faster than ipaddress or netaddr: this runs
    # once per allocated address of a subnet in every transaction that allocates on it.
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    return int.from_bytes(socket.inet_pton(family, ip), "big")


def _hints(s: orm.Session) -> dict[str, int]:
    """Per subnet, an address below which this transaction found nothing free: a bulk
    create must not rescan the taken start of the pools for every port."""
    return s.info.setdefault("ipam_hints", {})


def _next_free(s: orm.Session, subnet: models.Subnet) -> str | None:
    """A free pool address: the lowest on a first attempt, a random one of the lowest
    free ones on a retry (the window grows with every retry)."""
    used = _used(s, subnet.id)
    gateway = _int(subnet.gateway_ip) if subnet.gateway_ip else None
    window = 1 + WINDOW_STEP * common.current_attempt()
    hint = _hints(s).get(subnet.id, 0)
    candidates: list[int] = []
    for pool in subnet.allocation_pools:
        address = max(_int(pool.first_ip), hint)
        last = _int(pool.last_ip)
        while address <= last and len(candidates) < window:
            if address not in used and address != gateway:
                candidates.append(address)
            address += 1
        if len(candidates) >= window:
            break
    if not candidates:
        return None
    _hints(s)[subnet.id] = candidates[0]
    return str(netaddr.IPAddress(random.choice(candidates), subnet.ip_version))


def in_use(s: orm.Session, subnet_id: str) -> bool:
    query = sa.select(models.IPAllocation.id).where(models.IPAllocation.subnet_id == subnet_id)
    return s.scalar(query.limit(1)) is not None

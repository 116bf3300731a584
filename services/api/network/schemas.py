"""The request bodies of /network/v2.0: for each resource a table of its attributes
(``Attr``: how a value is converted and checked, and whether it may be sent on create,
on update, by admins only). ``parse`` turns a body into the values the network domain
functions (common/db/api/network*.py) take; an unknown or read-only key, or a value of
the wrong form, is a 400 before anything is read from the database."""
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import netaddr

from common import context, exceptions, ip_protocols
from common.db.api import network_quotas
from common.db.api.ipam import normalize_mac
from common.db.api.network_common import invalid

IPV6_MODES = (None, "slaac", "dhcpv6-stateful", "dhcpv6-stateless")
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)


@dataclass(frozen=True)
class Attr:
    """One attribute of a resource body: how to convert it and when it may be sent."""

    convert: Callable[[Any], Any]
    post: bool = True
    put: bool = True
    admin_only: bool = False


Schema = dict[str, Attr]


def parse(ctxt: context.RequestContext, body: Any, schema: Schema,
          create: bool) -> dict[str, Any]:
    """Validated, converted values of ``body``; unknown or read-only keys are a 400, an
    admin-only key sent by a non-admin a 403."""
    if not isinstance(body, dict):
        raise invalid("the body must be an object")
    unknown = sorted(set(body) - set(schema))
    if unknown:
        raise invalid(f"Unrecognized attribute(s) '{', '.join(unknown)}'")
    values = {}
    for key, value in body.items():
        attr = schema[key]
        if not (attr.post if create else attr.put):
            raise invalid(f"Cannot {'set' if create else 'update'} read-only "
                          f"attribute {key}")
        if attr.admin_only and not ctxt.is_admin:
            raise exceptions.Forbidden(f"Setting {key} is not allowed.")
        values[key] = attr.convert(value)
    return values


# --- converters -------------------------------------------------------------------------

def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise invalid(f"'{value}' cannot be converted to boolean")


def to_str(max_len: int = 255) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise invalid(f"'{value}' is not a valid string")
        if len(value) > max_len:
            raise invalid(f"'{value}' exceeds maximum length of {max_len}")
        return value
    return convert


def to_int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"'{value}' is not an integer") from None


def to_ip(value: Any) -> str:
    try:
        return str(netaddr.IPAddress(value))
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is not a valid IP address") from None


def to_ip_or_none(value: Any) -> str | None:
    return None if value is None else to_ip(value)


def to_cidr(value: Any) -> str:
    """A network in canonical form; host bits set are a 400 (naming the right form)."""
    try:
        net = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is not a valid IP subnet") from None
    if str(net.cidr) != str(net) or "/" not in str(value):
        raise invalid(f"'{value}' isn't a recognized IP subnet cidr, '{net.cidr}' is "
                      "recommended")
    return str(net.cidr)


def to_ip_or_cidr(value: Any) -> str:
    """An address or a network ('10.0.0.5' or '10.0.0.0/24'), as stored for prefixes."""
    try:
        net = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is neither a valid IP address nor a CIDR") from None
    return str(net.cidr) if "/" in str(value) else str(net.ip)


def to_list(convert: Callable[[Any], Any]) -> Callable[[Any], list]:
    def convert_all(value: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise invalid(f"'{value}' is not a list")
        return [convert(item) for item in value]
    return convert_all


def to_dict(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(f"'{value}' is not a dictionary")
    return value


def one_of(*choices: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value not in choices:
            raise invalid(f"'{value}' is not in {list(choices)}")
        return value
    return convert


def _id_or_none(value: Any) -> str | None:
    return None if value is None else to_str(36)(value)


def _route(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict) or set(value) != {"destination", "nexthop"}:
        raise invalid(f"'{value}' is not a route {{destination, nexthop}}")
    return to_cidr(value["destination"]), to_ip(value["nexthop"])


def _pool(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise invalid(f"'{value}' is not an allocation pool {{start, end}}")
    return to_ip(value["start"]), to_ip(value["end"])


def _subnetpool(value: Any) -> None:
    if value is not None:
        raise invalid("subnet pools are not supported")


def _fixed_ip(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not set(value) <= {"subnet_id", "ip_address"}:
        raise invalid(f"'{value}' is not a fixed IP {{subnet_id, ip_address}}")
    result = {}
    if value.get("subnet_id") is not None:
        result["subnet_id"] = to_str(36)(value["subnet_id"])
    if value.get("ip_address") is not None:
        result["ip_address"] = to_ip(value["ip_address"])
    return result


def _address_pair(value: Any) -> dict[str, str | None]:
    if not isinstance(value, dict) or "ip_address" not in value or not set(value) <= {
            "ip_address", "mac_address"}:
        raise invalid(f"'{value}' is not an address pair {{ip_address, mac_address}}")
    mac = value.get("mac_address")
    return {"ip_address": to_ip_or_cidr(value["ip_address"]),
            "mac_address": normalize_mac(mac) if mac else None}


def _dns_name(value: Any) -> str:
    name = to_str()(value).rstrip(".")
    if name and not all(_DNS_LABEL.match(label) for label in name.split(".")):
        raise invalid(f"'{value}' is not a valid DNS name")
    return name


def _no_extra_dhcp_opts(value: Any) -> list:
    if value not in (None, []):
        raise invalid("extra_dhcp_opts are not supported")
    return []


def _gateway_info(value: Any) -> dict | None:
    if not value:
        return None
    if not isinstance(value, dict) or not set(value) <= {
            "network_id", "enable_snat", "external_fixed_ips"}:
        raise invalid(f"'{value}' is not a valid external_gateway_info")
    info: dict[str, Any] = {"network_id": to_str(36)(value.get("network_id"))}
    if "enable_snat" in value:
        info["enable_snat"] = to_bool(value["enable_snat"])
    if value.get("external_fixed_ips"):
        info["external_fixed_ips"] = to_list(_fixed_ip)(value["external_fixed_ips"])
    return info


def _false(value: Any) -> bool:
    if to_bool(value):
        raise invalid("distributed and HA routers are not supported")
    return False


def _protocol(value: Any) -> str | None:
    if value is None or value == "any":
        return None
    text = str(value).lower()
    if text in ip_protocols.NUMBERS:
        return text
    if text.isdigit() and 0 <= int(text) <= 255:
        return text
    raise invalid(f"Security group rule protocol {value} not supported. Only "
                  f"protocol values {sorted(ip_protocols.NUMBERS)} and integer "
                  "representations [0 to 255] are supported.")


def _port_number(value: Any) -> int | None:
    number = to_int_or_none(value)
    if number is not None and not 0 <= number <= 65535:
        raise invalid(f"Invalid value for port {value}")
    return number


def _prefix(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(netaddr.IPNetwork(value))
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise invalid(f"'{value}' is not a valid IP prefix") from None


def _remote_group(value: Any) -> str | None:
    return value and to_str(36)(value)


# --- the resources ----------------------------------------------------------------------

_OWNER = {"project_id": Attr(to_str(), put=False), "tenant_id": Attr(to_str(), put=False)}
_NAMED = {"name": Attr(to_str()), "description": Attr(to_str())}

NETWORK: Schema = {
    **_NAMED,
    "admin_state_up": Attr(to_bool),
    "shared": Attr(to_bool, admin_only=True),
    "router:external": Attr(to_bool, admin_only=True),
    "provider:network_type": Attr(one_of("flat", "vlan", "geneve"), put=False,
                                  admin_only=True),
    "provider:physical_network": Attr(to_str(64), put=False, admin_only=True),
    "provider:segmentation_id": Attr(to_int_or_none, put=False, admin_only=True),
    "mtu": Attr(to_int_or_none),
    "dns_domain": Attr(to_str()),
    "port_security_enabled": Attr(to_bool),
    "availability_zone_hints": Attr(to_list(to_str()), put=False),
    **_OWNER,
}

SUBNET: Schema = {
    **_NAMED,
    "network_id": Attr(to_str(36), put=False),
    "ip_version": Attr(one_of(4, 6), put=False),
    "cidr": Attr(to_cidr, put=False),
    "gateway_ip": Attr(to_ip_or_none),
    "enable_dhcp": Attr(to_bool),
    "allocation_pools": Attr(to_list(_pool)),
    "dns_nameservers": Attr(to_list(to_ip)),
    "host_routes": Attr(to_list(_route)),
    "ipv6_ra_mode": Attr(one_of(*IPV6_MODES), put=False),
    "ipv6_address_mode": Attr(one_of(*IPV6_MODES), put=False),
    "subnetpool_id": Attr(_subnetpool, put=False),
    "service_types": Attr(to_list(to_str()), put=False),
    **_OWNER,
}

PORT: Schema = {
    **_NAMED,
    "network_id": Attr(to_str(36), put=False),
    "admin_state_up": Attr(to_bool),
    "mac_address": Attr(normalize_mac),
    "fixed_ips": Attr(to_list(_fixed_ip)),
    "device_id": Attr(to_str()),
    "device_owner": Attr(to_str()),
    "security_groups": Attr(to_list(to_str(36))),
    "port_security_enabled": Attr(to_bool),
    "allowed_address_pairs": Attr(to_list(_address_pair)),
    "binding:host_id": Attr(to_str(), admin_only=True),
    "binding:profile": Attr(to_dict, admin_only=True),
    "binding:vnic_type": Attr(one_of("normal")),
    "dns_name": Attr(_dns_name),
    "extra_dhcp_opts": Attr(_no_extra_dhcp_opts),
    **_OWNER,
}

ROUTER: Schema = {
    **_NAMED,
    "admin_state_up": Attr(to_bool),
    "external_gateway_info": Attr(_gateway_info),
    "routes": Attr(to_list(_route), post=False),
    "distributed": Attr(_false),
    "ha": Attr(_false),
    "availability_zone_hints": Attr(to_list(to_str()), put=False),
    **_OWNER,
}

FLOATINGIP: Schema = {
    "floating_network_id": Attr(to_str(36), put=False),
    "floating_ip_address": Attr(to_ip, put=False),
    "subnet_id": Attr(_id_or_none, put=False),
    "port_id": Attr(_id_or_none),
    "fixed_ip_address": Attr(to_ip_or_none),
    "description": Attr(to_str()),
    **_OWNER,
}

SECURITY_GROUP: Schema = {
    **_NAMED,
    "stateful": Attr(to_bool, put=False),
    **_OWNER,
}

SECURITY_GROUP_RULE: Schema = {
    "security_group_id": Attr(to_str(36), put=False),
    "direction": Attr(one_of("ingress", "egress"), put=False),
    "ethertype": Attr(one_of("IPv4", "IPv6"), put=False),
    "protocol": Attr(_protocol, put=False),
    "port_range_min": Attr(_port_number, put=False),
    "port_range_max": Attr(_port_number, put=False),
    "remote_ip_prefix": Attr(_prefix, put=False),
    "remote_group_id": Attr(_remote_group, put=False),
    "remote_address_group_id": Attr(one_of(None), put=False),
    "description": Attr(to_str(), put=False),
    **_OWNER,
}


def quota_limits(body: Any) -> dict[str, int]:
    """{resource: limit} of a quota update; -1 is unlimited."""
    if not isinstance(body, dict) or set(body) - set(network_quotas.RESOURCES):
        unknown = (sorted(set(body) - set(network_quotas.RESOURCES))
                   if isinstance(body, dict) else body)
        raise invalid(f"Unrecognized quota resource(s) {unknown}")
    limits = {}
    for resource, value in body.items():
        limit = to_int_or_none(value)
        if limit is None or limit < -1:
            raise invalid(f"'{value}' should be an integer of -1 or more")
        limits[resource] = limit
    return limits

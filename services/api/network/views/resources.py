"""The network API's body of each resource: the domain's record
(common.db.api.network_records) plus what only the API shows, as Neutron does:
``tenant_id`` beside ``project_id``, the attributes derived for display
(``binding:vif_details``, a rule's ``normalized_cidr``), and the constant values of the
extensions Strato does not implement (address scopes, availability zones, port
forwarding, QoS, ...), which clients and Tempest read."""
from collections.abc import Callable, Mapping
from typing import Any

import netaddr

VIF_DETAILS = {"port_filter": True, "connectivity": "l2", "bridge_name": "br-int"}
_NO_ZONES: dict[str, list[str]] = {"availability_zone_hints": [], "availability_zones": []}


def _with_owner(record: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    return {**record, "tenant_id": record["project_id"], **extra}


def network(record: Mapping[str, Any]) -> dict[str, Any]:
    return _with_owner(record, **_NO_ZONES, ipv4_address_scope=None,
                       ipv6_address_scope=None, is_default=False, l2_adjacency=True)


def subnet(record: Mapping[str, Any]) -> dict[str, Any]:
    return _with_owner(record, subnetpool_id=None, service_types=[],
                       dns_publish_fixed_ip=False)


def port(record: Mapping[str, Any]) -> dict[str, Any]:
    details = VIF_DETAILS if record["binding:vif_type"] == "ovs" else {}
    return _with_owner(record, **{"binding:vif_details": details}, extra_dhcp_opts=[],
                       propagate_uplink_status=False)


def router(record: Mapping[str, Any]) -> dict[str, Any]:
    return _with_owner(record, **_NO_ZONES, distributed=False, ha=False, flavor_id=None)


def floatingip(record: Mapping[str, Any]) -> dict[str, Any]:
    return _with_owner(record, port_forwardings=[], qos_policy_id=None)


def security_group_rule(record: Mapping[str, Any]) -> dict[str, Any]:
    prefix = record["remote_ip_prefix"]
    return _with_owner(record, remote_address_group_id=None, normalized_cidr=(
        str(netaddr.IPNetwork(prefix).cidr) if prefix else None))


def security_group(record: Mapping[str, Any]) -> dict[str, Any]:
    rules = [security_group_rule(rule) for rule in record["security_group_rules"]]
    return _with_owner(record, shared=False, security_group_rules=rules)


BY_KIND: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "network": network, "subnet": subnet, "port": port, "router": router,
    "floatingip": floatingip, "security_group": security_group,
    "security_group_rule": security_group_rule}

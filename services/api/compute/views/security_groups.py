"""Security group bodies of Nova's proxy view (os-security-groups): Neutron's groups as
Nova shows them, with their ingress rules only and a port range always filled."""
from typing import Any

_WHOLE_RANGE_PROTOCOLS = ("tcp", "udp")


def group(security_group: dict) -> dict[str, Any]:
    return {"id": security_group["id"], "name": security_group["name"],
            "description": security_group["description"],
            "tenant_id": security_group["project_id"],
            "rules": [_rule(rule) for rule in security_group["rules"]
                      if rule["direction"] == "ingress"]}


def _rule(rule: dict) -> dict[str, Any]:
    from_port, to_port = rule["port_range_min"], rule["port_range_max"]
    protocol = rule["protocol"]
    if protocol and from_port is None and to_port is None:
        whole = protocol.lower() in _WHOLE_RANGE_PROTOCOLS
        from_port, to_port = (1, 65535) if whole else (-1, -1)
    remote = rule["remote_group"]
    return {"id": rule["id"], "parent_group_id": rule["security_group_id"],
            "ip_protocol": protocol, "from_port": from_port, "to_port": to_port,
            "group": ({"name": remote["name"], "tenant_id": remote["project_id"]}
                      if remote else {}),
            "ip_range": {} if remote else {"cidr": rule["remote_ip_prefix"] or "0.0.0.0/0"}}

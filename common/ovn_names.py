"""Names of the OVN northbound rows Strato writes, shared by the network agent (which
owns the rows) and the dns agent (which finds a network's switch by name).

Port groups and address sets appear in ACL matches, where a name may hold letters,
digits and underscores only. Every Strato row says who owns it under OWNER_KEY in its
external_ids.
"""
OWNER_KEY = "strato:owner"


def switch_name(network_id: str) -> str:
    return f"strato-{network_id}"


def localnet_name(network_id: str) -> str:
    return f"strato-localnet-{network_id}"


def router_name(router_id: str) -> str:
    return f"strato-{router_id}"


def router_port_name(port_id: str) -> str:
    return f"lrp-{port_id}"


def port_group_name(sg_id: str) -> str:
    return "pg_" + sg_id.replace("-", "_")


def address_set_name(sg_id: str, version: int) -> str:
    return f"as_ip{version}_" + sg_id.replace("-", "_")


DROP_PORT_GROUP = "strato_pg_drop"

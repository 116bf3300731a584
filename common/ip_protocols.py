"""IP protocol names the network API accepts (Neutron's list) and their numbers, shared by
the security group domain functions and the network agent's ACL builder."""

NUMBERS = {
    "ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "icmp": 1, "icmpv6": 58,
    "igmp": 2, "ipip": 4, "ipv6-encap": 41, "ipv6-frag": 44, "ipv6-icmp": 58,
    "ipv6-nonxt": 59, "ipv6-opts": 60, "ipv6-route": 43, "ospf": 89, "pgm": 113,
    "rsvp": 46, "sctp": 132, "tcp": 6, "udp": 17, "udplite": 136, "vrrp": 112,
}
ICMP = (1, 58)
# Protocols with ports (a rule's port range applies to them only).
WITH_PORTS = (6, 17, 33, 132, 136)


def number(protocol: str | None) -> int | None:
    """6 for "tcp" or "6"; None for no protocol (any)."""
    if protocol is None:
        return None
    return NUMBERS.get(protocol, int(protocol) if protocol.isdigit() else None)

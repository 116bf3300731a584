"""How the built-in server answers a query from the zones it serves (no sockets here).

Authoritative answers follow RFC 1034 4.3.2: referrals below a zone cut, CNAME chains
followed inside the zone, wildcards, NXDOMAIN for names that do not exist and NODATA
(NOERROR, empty answer) for names that exist without the asked type, both with the SOA
in the authority section (RFC 2308). Queries under a forward zone go to its resolvers.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import dns.flags
import dns.message
import dns.name
import dns.node
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone

IN = dns.rdataclass.IN
MAX_CNAME_CHAIN = 8
_WILDCARD = dns.name.Name((b"*",))

Server = tuple[str, int]
Forwarder = Callable[[dns.message.Message, list[Server]], dns.message.Message]


class ServedZone:
    """A zone the server is authoritative for, with what lookups need precomputed."""

    def __init__(self, zone: dns.zone.Zone) -> None:
        self.zone = zone
        self.origin: dns.name.Name = cast(dns.name.Name, zone.origin)  # ZoneStore set it
        self.soa = cast(dns.rdataset.Rdataset, zone.get_rdataset(self.origin,
                                                                  dns.rdatatype.SOA))
        soa = self.soa
        # RFC 2308: negative answers carry the SOA with TTL min(SOA TTL, MINIMUM).
        self.negative_soa = dns.rrset.from_rdata_list(self.origin, min(soa.ttl, soa[0].minimum),
                                                      list(soa))
        # Every existing name and its ancestors down to the apex: an ancestor without
        # records (an empty non-terminal) exists, and answers NODATA, not NXDOMAIN.
        self.existing: set[dns.name.Name] = set()
        for name in zone.nodes:
            while name != self.origin and name not in self.existing:
                self.existing.add(name)
                name = name.parent()
        self.existing.add(self.origin)

    def serial(self) -> int:
        return self.negative_soa[0].serial

    def cut(self, qname: dns.name.Name) -> dns.name.Name | None:
        """The highest delegation (NS below the apex) at or above ``qname``."""
        relative = qname.relativize(self.origin)
        for depth in range(1, len(relative.labels) + 1):
            name = dns.name.Name(relative.labels[-depth:]).concatenate(self.origin)
            node = self.zone.get_node(name)
            if node is not None and node.get_rdataset(IN, dns.rdatatype.NS) is not None:
                return name
        return None

    def node(self, name: dns.name.Name) -> tuple[dns.node.Node | None, bool]:
        """(node answering ``name``, whether the name exists), wildcards included."""
        node = self.zone.get_node(name)
        if node is not None:
            return node, True
        if name in self.existing:
            return None, True
        encloser = name.parent()
        while encloser not in self.existing:
            encloser = encloser.parent()
        wildcard = self.zone.get_node(_WILDCARD.concatenate(encloser))
        return wildcard, wildcard is not None


@dataclass(frozen=True)
class Catalog:
    """What the server serves: authoritative zones and forward zones, by apex."""

    zones: dict[dns.name.Name, ServedZone] = field(default_factory=dict)
    forwards: dict[dns.name.Name, list[Server]] = field(default_factory=dict)

    def find(self, qname: dns.name.Name) -> ServedZone | list[Server] | None:
        """The closest enclosing zone (authoritative or forward) of ``qname``."""
        name = qname
        while True:
            if name in self.zones:
                return self.zones[name]
            if name in self.forwards:
                return self.forwards[name]
            if name == dns.name.root:
                return None
            name = name.parent()


def _rrset(owner: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(owner, rdataset.ttl, list(rdataset))


def _error(query: dns.message.Message, rcode: dns.rcode.Rcode) -> dns.message.Message:
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    return response


def _referral(served: ServedZone, response: dns.message.Message,
              cut: dns.name.Name) -> dns.message.Message:
    ns = cast(dns.rdataset.Rdataset, served.zone.get_rdataset(cut, dns.rdatatype.NS))
    response.flags &= ~dns.flags.AA
    response.authority.append(_rrset(cut, ns))
    for rdata in ns:
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):  # glue
            glue = served.zone.get_rdataset(rdata.target, rdtype)
            if glue is not None:
                response.additional.append(_rrset(rdata.target, glue))
    return response


def _authoritative(served: ServedZone, query: dns.message.Message) -> dns.message.Message:
    question = query.question[0]
    qtype = question.rdtype
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    cut = served.cut(question.name)
    if cut is not None and not (cut == question.name and qtype == dns.rdatatype.DS):
        return _referral(served, response, cut)
    owner, seen = question.name, set[dns.name.Name]()
    for _ in range(MAX_CNAME_CHAIN):
        node, exists = served.node(owner)
        if not exists:
            response.set_rcode(dns.rcode.NXDOMAIN)
            break
        if node is None:
            break
        if qtype == dns.rdatatype.ANY:
            response.answer.extend(_rrset(owner, rdataset) for rdataset in node)
            return response
        rdataset = node.get_rdataset(IN, qtype)
        if rdataset is not None:
            response.answer.append(_rrset(owner, rdataset))
            return response
        cname = node.get_rdataset(IN, dns.rdatatype.CNAME)
        if cname is None:
            break
        response.answer.append(_rrset(owner, cname))
        seen.add(owner)
        owner = cname[0].target
        if owner in seen or not owner.is_subdomain(served.origin):
            return response  # a loop, or the resolver follows it elsewhere
    response.authority.append(served.negative_soa)
    return response


def transfer(served: ServedZone | None, query: dns.message.Message,
             allowed: bool) -> list[dns.message.Message]:
    """An AXFR (IXFR gets the full zone too, RFC 1995): SOA, every RRset, SOA."""
    if served is None:
        return [_error(query, dns.rcode.NOTAUTH)]
    if not allowed:
        return [_error(query, dns.rcode.REFUSED)]
    soa = _rrset(served.origin, served.soa)
    rrsets = [_rrset(name, rdataset) for name, node in sorted(served.zone.nodes.items())
              for rdataset in node if rdataset.rdtype != dns.rdatatype.SOA]
    messages = []
    for start in range(0, len(rrsets) + 2, 100):
        message = dns.message.make_response(query)
        message.flags |= dns.flags.AA
        message.answer = ([soa, *rrsets, soa])[start:start + 100]
        messages.append(message)
    return messages


def respond(catalog: Catalog, query: dns.message.Message, tcp: bool, transfer_allowed: bool,
            forward: Forwarder) -> list[dns.message.Message]:
    """The response messages to ``query`` (several only for a zone transfer)."""
    if query.opcode() != dns.opcode.QUERY:
        return [_error(query, dns.rcode.NOTIMP)]
    if len(query.question) != 1:
        return [_error(query, dns.rcode.FORMERR)]
    question = query.question[0]
    if question.rdclass != IN:
        return [_error(query, dns.rcode.REFUSED)]
    if question.rdtype in (dns.rdatatype.AXFR, dns.rdatatype.IXFR):
        if not tcp:
            return [_error(query, dns.rcode.REFUSED)]
        return transfer(catalog.zones.get(question.name), query, transfer_allowed)
    found = catalog.find(question.name)
    if found is None:
        return [_error(query, dns.rcode.REFUSED)]
    if isinstance(found, ServedZone):
        return [_authoritative(found, query)]
    return [forward(query, found)]

"""Zones as dnspython objects: built from a snapshot, written as canonical master files.

Every zone here is absolute (``relativize=False``): owner names and record targets are
full FQDNs, so files and comparisons never depend on an $ORIGIN.
"""
from typing import cast

import dns.name
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.zone

from common.dns.snapshots import Zone

IN = dns.rdataclass.IN


def server(text: str) -> tuple[str, int]:
    """``"192.0.2.1:53"`` / ``"[2001:db8::1]:53"`` -> (address, port)."""
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def build_zone(snapshot: Zone) -> dns.zone.Zone:
    """The dnspython zone holding every recordset of ``snapshot``."""
    zone = dns.zone.Zone(snapshot["name"], relativize=False)
    with zone.writer() as txn:
        for recordset in snapshot["recordsets"]:
            rdataset = dns.rdataset.from_text_list(
                IN, recordset["type"], recordset["ttl"], recordset["records"],
                origin=dns.name.root, relativize=False)
            txn.add(dns.name.from_text(recordset["name"]), rdataset)
    return zone


def _order(zone: dns.zone.Zone, name: dns.name.Name, rdtype: int) -> tuple:
    # The SOA first, then the apex, then every name in DNSSEC canonical order.
    return (name != zone.origin, name, rdtype != dns.rdatatype.SOA, rdtype)


def zone_text(zone: dns.zone.Zone) -> str:
    """A master file of ``zone`` that is the same text for the same content."""
    entries = [(name, rdataset) for name, node in zone.nodes.items() for rdataset in node]
    entries.sort(key=lambda entry: _order(zone, entry[0], entry[1].rdtype))
    lines = []
    for name, rdataset in entries:
        rtype = dns.rdatatype.to_text(rdataset.rdtype)
        for text in sorted(rdata.to_text() for rdata in rdataset):
            lines.append(f"{name} {rdataset.ttl} IN {rtype} {text}")
    return "\n".join(lines) + "\n"


def parse(name: str, text: str) -> dns.zone.Zone:
    """Read a master file of zone ``name`` (raises dns.exception.DNSException)."""
    return dns.zone.from_text(text, origin=name, relativize=False)


def soa_serial(zone: dns.zone.Zone) -> int:
    """The serial of a zone parse() read (which has an origin and an SOA there)."""
    soa = zone.get_rdataset(cast(dns.name.Name, zone.origin), dns.rdatatype.SOA)
    return cast(dns.rdataset.Rdataset, soa)[0].serial


def _rdatasets(zone: dns.zone.Zone) -> dict[tuple[dns.name.Name, int], dns.rdataset.Rdataset]:
    return {(name, rdataset.rdtype): rdataset
            for name, node in zone.nodes.items() for rdataset in node}


def _same(a: dns.rdataset.Rdataset, b: dns.rdataset.Rdataset) -> bool:
    return a.ttl == b.ttl and {r.to_text() for r in a} == {r.to_text() for r in b}


def _soa_outdated(actual: dns.rdataset.Rdataset, desired: dns.rdataset.Rdataset) -> bool:
    """The SOA needs writing: fields other than the serial differ, or the served serial is
    older. A newer served serial is fine (the server bumps it on every update)."""
    have, want = actual[0], desired[0]
    return (actual.ttl != desired.ttl or have.replace(serial=0) != want.replace(serial=0)
            or have.serial < want.serial)


Change = tuple[dns.name.Name, int, dns.rdataset.Rdataset | None]


def differences(actual: dns.zone.Zone, desired: dns.zone.Zone) -> list[Change]:
    """What turns ``actual`` into ``desired``: (name, type, rdataset to put there, or None
    to delete the RRset), deletions first."""
    have, want = _rdatasets(actual), _rdatasets(desired)
    changes: list[Change] = [(*key, None) for key in sorted(have.keys() - want.keys())]
    for key, rdataset in sorted(want.items()):
        current = have.get(key)
        if current is None or (_soa_outdated(current, rdataset)
                                if key[1] == dns.rdatatype.SOA else not _same(current, rdataset)):
            changes.append((*key, rdataset))
    return changes

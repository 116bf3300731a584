"""Zones built from snapshots, their canonical text, and the diff that updates BIND."""
import unittest

import dns.rdatatype

from services.dns import zonedata
from tests.unit.base.dns import snapshot


def _changes(actual: dict, desired: dict) -> list[tuple[str, str, list[str] | None]]:
    found = zonedata.differences(zonedata.build_zone(actual), zonedata.build_zone(desired))
    return [(str(name), dns.rdatatype.to_text(rdtype),
             None if rdataset is None else sorted(r.to_text() for r in rdataset))
            for name, rdtype, rdataset in found]


class ZoneDataTest(unittest.TestCase):
    def test_zone_text_is_canonical_and_parses_back(self) -> None:
        records = {("www.example.org.", "A"): ["192.0.2.2", "192.0.2.1"],
                   ("example.org.", "MX"): ["10 mail.example.org."]}
        text = zonedata.zone_text(zonedata.build_zone(snapshot(serial=3, records=records)))
        self.assertEqual(
            "example.org. 300 IN SOA ns1.strato.test. hostmaster.example.org. 3 3600 600 "
            "86400 60\n"
            "example.org. 300 IN NS ns1.strato.test.\n"
            "example.org. 300 IN MX 10 mail.example.org.\n"
            "www.example.org. 300 IN A 192.0.2.1\n"
            "www.example.org. 300 IN A 192.0.2.2\n", text)
        reordered = dict(reversed(list(records.items())))
        self.assertEqual(text, zonedata.zone_text(zonedata.build_zone(
            snapshot(serial=3, records=reordered))))
        parsed = zonedata.parse("example.org.", text)
        self.assertEqual(text, zonedata.zone_text(parsed))
        self.assertEqual(3, zonedata.soa_serial(parsed))

    def test_server_addresses(self) -> None:
        self.assertEqual(("192.0.2.1", 53), zonedata.server("192.0.2.1:53"))
        self.assertEqual(("2001:db8::1", 5353), zonedata.server("[2001:db8::1]:5353"))

    def test_differences(self) -> None:
        actual = snapshot(serial=5, records={("www.example.org.", "A"): ["192.0.2.1"],
                                             ("old.example.org.", "TXT"): ['"x"']})
        desired = snapshot(serial=6, records={("www.example.org.", "A"): ["192.0.2.2"],
                                              ("new.example.org.", "A"): ["192.0.2.3"]})
        self.assertEqual([
            ("old.example.org.", "TXT", None),
            ("example.org.", "SOA", ["ns1.strato.test. hostmaster.example.org. 6 3600 600 "
                                     "86400 60"]),
            ("new.example.org.", "A", ["192.0.2.3"]),
            ("www.example.org.", "A", ["192.0.2.2"]),
        ], _changes(actual, desired))
        self.assertEqual([], _changes(desired, desired))

    def test_a_newer_served_serial_is_left_alone(self) -> None:
        # BIND bumps the serial on every dynamic update: only an older one is rewritten.
        self.assertEqual([], _changes(snapshot(serial=9), snapshot(serial=6)))
        self.assertEqual(["SOA"], [t for _n, t, _r in _changes(snapshot(serial=5),
                                                              snapshot(serial=6))])

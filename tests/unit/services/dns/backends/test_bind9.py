"""The BIND9 backend against a real named (skipped when bind9 is not installed)."""
import os

import dns.query
import dns.rcode
import dns.update

from common import exceptions
from services.dns.backends import bind9, builtin
from tests.functional import fixtures
from tests.functional.fixtures import dns_servers
from tests.unit import base
from tests.unit.base.dns import SERVICE_RECORDS, answers, ask, served, snapshot

RECORDS = {("www.example.org.", "A"): ["192.0.2.1"],
           ("example.org.", "MX"): ["10 mail.example.net."]}


class Bind9BackendTest(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.named = dns_servers.Named(os.path.join(self.state_path, "named"))
        self.named.start()
        self.addCleanup(self.named.stop)
        self.flags(group="dns", **self.named.options())
        self.backend = bind9.Bind9Backend()

    def ask(self, name: str, rdtype: str = "A"):
        return ask(self.named.port, name, rdtype)

    def test_zone_is_added_updated_and_removed(self) -> None:
        self.assertEqual(10, self.backend.apply_zone(snapshot(serial=10, records=RECORDS)))
        self.assertEqual({"example.org."}, self.backend.zone_names())
        self.assertEqual(["www.example.org. A 192.0.2.1"], answers(self.ask("www.example.org.")))
        self.assertEqual(10, self.named.serial("example.org."))

        changed = {("www.example.org.", "A"): ["192.0.2.2"],
                   ("new.example.org.", "TXT"): ['"hello"']}
        self.backend.apply_zone(snapshot(serial=11, records=changed))
        self.assertEqual(["www.example.org. A 192.0.2.2"], answers(self.ask("www.example.org.")))
        self.assertEqual(['new.example.org. TXT "hello"'],
                         answers(self.ask("new.example.org.", "TXT")))
        self.assertEqual(dns.rcode.NOERROR, self.ask("example.org.", "MX").rcode())
        self.assertEqual([], self.ask("example.org.", "MX").answer)  # the MX went away
        self.assertEqual(11, self.named.serial("example.org."))

        self.backend.remove_zone("example.org.")
        self.assertEqual(set(), self.backend.zone_names())
        self.assertIsNone(self.named.serial("example.org."))
        self.backend.remove_zone("example.org.")  # twice is harmless

    def test_svcb_https_and_tlsa_are_served_from_the_file_and_by_updates(self) -> None:
        records = served(SERVICE_RECORDS)
        first, later = dict(list(records.items())[:2]), dict(list(records.items())[2:])
        self.backend.apply_zone(snapshot(serial=10, records=first))  # the zone file
        self.backend.apply_zone(snapshot(serial=11, records=records))  # an RFC 2136 update
        for (name, rtype), texts in {**first, **later}.items():
            with self.subTest(name=name, rtype=rtype):
                self.assertEqual(sorted(f"{name} {rtype} {text}" for text in texts),
                                 answers(self.ask(name, rtype)))

    def test_a_record_deleted_by_hand_comes_back(self) -> None:
        zone = snapshot(serial=10, records=RECORDS)
        self.backend.apply_zone(zone)
        update = dns.update.UpdateMessage("example.org.", **self.named.tsig.kwargs())
        update.delete("www.example.org.", "A")
        self.assertEqual(dns.rcode.NOERROR, dns.query.tcp(
            update, "127.0.0.1", port=self.named.port, timeout=5).rcode())
        self.assertEqual(dns.rcode.NXDOMAIN, self.ask("www.example.org.").rcode())
        self.backend.apply_zone(zone)
        self.assertEqual(["www.example.org. A 192.0.2.1"], answers(self.ask("www.example.org.")))
        self.assertGreater(self.named.serial("example.org."), 10)  # named bumped it itself

    def test_a_zone_deleted_by_hand_is_added_again(self) -> None:
        zone = snapshot(serial=10, records=RECORDS)
        self.backend.apply_zone(zone)
        self.backend._rndc("delzone", "example.org")
        self.assertIsNone(self.named.serial("example.org."))
        self.backend.apply_zone(zone)
        self.assertEqual(["www.example.org. A 192.0.2.1"], answers(self.ask("www.example.org.")))

    def test_secondary_zone_is_transferred_by_named(self) -> None:
        self.flags(group="dns", listen_port=0, zone_dir=os.path.join(self.state_path, "b"))
        master = builtin.BuiltinBackend()  # the master: Strato's own server
        master.start()
        self.addCleanup(master.stop)
        master.apply_zone(snapshot(name="sec.org.", serial=33,
                                   records={("www.sec.org.", "A"): ["192.0.2.33"]}))
        zone = snapshot(name="sec.org.", zone_type="SECONDARY",
                        masters=[f"127.0.0.1:{master.server.port}"])
        self.backend.apply_zone(zone)
        fixtures.wait_until(lambda: self.named.serial("sec.org.") == 33, 10,
                            "named transferring sec.org.")
        self.assertEqual(33, self.backend.apply_zone(zone))
        self.assertEqual(["www.sec.org. A 192.0.2.33"], answers(self.ask("www.sec.org.")))

    def test_forward_zones_are_not_bind_business(self) -> None:
        self.assertIsNone(self.backend.apply_zone(snapshot(
            name="cluster.local.", zone_type="FORWARD", masters=["127.0.0.1:53"])))
        self.assertEqual(set(), self.backend.zone_names())

    def test_unreachable_bind_is_a_backend_error(self) -> None:
        self.named.stop()
        with self.assertRaises(exceptions.DNSBackendError):
            self.backend.apply_zone(snapshot())

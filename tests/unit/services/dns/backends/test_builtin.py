"""The built-in backend and its server, queried over real sockets with dnspython."""
import os
import socket
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.zone

from common import exceptions
from services.dns import zonedata
from services.dns.backends import builtin
from tests.unit import base
from tests.unit.base import dns as helpers
from tests.unit.base.dns import answers, ask, snapshot

RECORDS = {
    ("www.example.org.", "A"): ["192.0.2.1", "192.0.2.2"],
    ("alias.example.org.", "CNAME"): ["www.example.org."],
    ("loop.example.org.", "CNAME"): ["loop.example.org."],
    ("away.example.org.", "CNAME"): ["www.example.net."],
    ("a.b.c.example.org.", "TXT"): ['"deep"'],
    ("*.wild.example.org.", "A"): ["192.0.2.9"],
    ("sub.example.org.", "NS"): ["ns.sub.example.org."],
    ("ns.sub.example.org.", "A"): ["192.0.2.53"],
    ("example.org.", "MX"): ["10 mail.example.org."],
}


class BuiltinTestCase(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(group="dns", listen_port=0, forward_timeout=0.5,
                   zone_dir=os.path.join(self.state_path, "zones"))
        self.backend = self.start_backend()

    def start_backend(self) -> builtin.BuiltinBackend:
        backend = builtin.BuiltinBackend()
        backend.start()
        self.addCleanup(backend.stop)
        return backend

    def ask(self, name: str, rdtype: str = "A", **kwargs: object) -> dns.message.Message:
        return ask(self.backend.server.port, name, rdtype, **kwargs)


class AuthoritativeAnswersTest(BuiltinTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.assertEqual(5, self.backend.apply_zone(snapshot(serial=5, records=RECORDS)))

    def test_noerror_answer_is_authoritative(self) -> None:
        response = self.ask("www.example.org.")
        self.assertEqual(dns.rcode.NOERROR, response.rcode())
        self.assertTrue(response.flags & dns.flags.AA)
        self.assertEqual(["www.example.org. A 192.0.2.1", "www.example.org. A 192.0.2.2"],
                         answers(response))
        self.assertEqual(["example.org. MX 10 mail.example.org."],
                         answers(self.ask("EXAMPLE.org.", "MX")))

    def test_nxdomain_with_soa(self) -> None:
        response = self.ask("nosuch.example.org.")
        self.assertEqual(dns.rcode.NXDOMAIN, response.rcode())
        self.assertEqual([], response.answer)
        soa, = response.authority
        self.assertEqual((dns.rdatatype.SOA, 5, 60), (soa.rdtype, soa[0].serial, soa.ttl))

    def test_nodata_with_soa(self) -> None:
        for name, rdtype in (("www.example.org.", "AAAA"), ("b.c.example.org.", "A")):
            with self.subTest(name=name):  # an existing name, and an empty non-terminal
                response = self.ask(name, rdtype)
                self.assertEqual((dns.rcode.NOERROR, []), (response.rcode(), response.answer))
                self.assertEqual(dns.rdatatype.SOA, response.authority[0].rdtype)

    def test_cname_is_chased_inside_the_zone(self) -> None:
        self.assertEqual(["alias.example.org. CNAME www.example.org.",
                          "www.example.org. A 192.0.2.1", "www.example.org. A 192.0.2.2"],
                         answers(self.ask("alias.example.org.")))
        self.assertEqual(["alias.example.org. CNAME www.example.org."],
                         answers(self.ask("alias.example.org.", "CNAME")))
        self.assertEqual(["away.example.org. CNAME www.example.net."],
                         answers(self.ask("away.example.org.")))
        self.assertEqual(["loop.example.org. CNAME loop.example.org."],
                         answers(self.ask("loop.example.org.")))

    def test_wildcard(self) -> None:
        self.assertEqual(["x.wild.example.org. A 192.0.2.9"],
                         answers(self.ask("x.wild.example.org.")))
        self.assertEqual(dns.rcode.NXDOMAIN, self.ask("x.y.example.org.").rcode())

    def test_referral_below_a_delegation(self) -> None:
        response = self.ask("host.sub.example.org.")
        self.assertFalse(response.flags & dns.flags.AA)
        self.assertEqual(["sub.example.org. NS ns.sub.example.org."],
                         [f"{r.name} NS {r[0]}" for r in response.authority])
        self.assertEqual("192.0.2.53", str(response.additional[0][0]))

    def test_names_outside_every_zone_are_refused(self) -> None:
        self.assertEqual(dns.rcode.REFUSED, self.ask("www.example.net.").rcode())

    def test_tcp_and_truncation(self) -> None:
        big = {("big.example.org.", "TXT"): [f'"{i:03d}' + "x" * 200 + '"' for i in range(5)]}
        self.backend.apply_zone(snapshot(serial=6, records={**RECORDS, **big}))
        self.assertTrue(self.ask("big.example.org.", "TXT").flags & dns.flags.TC)
        self.assertEqual(5, len(answers(self.ask("big.example.org.", "TXT", tcp=True))))
        self.assertEqual(5, len(answers(self.ask("big.example.org.", "TXT", use_edns=True))))

    def test_garbage_gets_no_answer_and_the_server_lives_on(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(0.5)
            sock.sendto(b"\x00\x01garbage", ("127.0.0.1", self.backend.server.port))
            with self.assertRaises(TimeoutError):
                sock.recv(512)
        self.assertEqual(dns.rcode.NOERROR, self.ask("www.example.org.").rcode())


class ServiceRecordsTest(BuiltinTestCase):
    def test_svcb_https_and_tlsa_are_answered_with_the_stored_data(self) -> None:
        records = helpers.served(helpers.SERVICE_RECORDS)
        self.backend.apply_zone(snapshot(serial=5, records=records))
        for (name, rtype), texts in records.items():
            with self.subTest(name=name, rtype=rtype):
                response = self.ask(name, rtype, tcp=True)
                self.assertEqual(dns.rcode.NOERROR, response.rcode())
                self.assertEqual(sorted(f"{name} {rtype} {text}" for text in texts),
                                 answers(response))
        self.assertEqual(["_443._tcp.example.org. TLSA 3 1 1 " + "ab" * 32],
                         answers(self.ask("_443._tcp.example.org.", "TLSA")))


class ZoneLifecycleTest(BuiltinTestCase):
    def test_serial_grows_and_changes_show_at_once(self) -> None:
        self.backend.apply_zone(snapshot(serial=10))
        self.assertEqual(10, self.ask("example.org.", "SOA").answer[0][0].serial)
        self.assertEqual(dns.rcode.NXDOMAIN, self.ask("new.example.org.").rcode())
        self.backend.apply_zone(snapshot(serial=11, records={("new.example.org.", "A"):
                                                             ["192.0.2.7"]}))
        self.assertEqual(11, self.ask("example.org.", "SOA").answer[0][0].serial)
        self.assertEqual(["new.example.org. A 192.0.2.7"], answers(self.ask("new.example.org.")))

    def test_remove_zone(self) -> None:
        self.backend.apply_zone(snapshot())
        self.assertEqual({"example.org."}, self.backend.zone_names())
        self.backend.remove_zone("example.org.")
        self.assertEqual(set(), self.backend.zone_names())
        self.assertEqual(dns.rcode.REFUSED, self.ask("example.org.", "SOA").rcode())

    def test_a_hand_edit_is_served_until_the_zone_is_applied_again(self) -> None:
        zone = snapshot(records={("www.example.org.", "A"): ["192.0.2.1"]})
        self.backend.apply_zone(zone)
        path = os.path.join(self.state_path, "zones", "example.org.zone")
        with open(path) as f:
            kept = [line for line in f if not line.startswith("www.")]
        with open(path, "w") as f:
            f.writelines(kept)
        time.sleep(1.1)  # the store rereads changed files at most once a second
        self.assertEqual(dns.rcode.NXDOMAIN, self.ask("www.example.org.").rcode())
        self.backend.apply_zone(zone)
        self.assertEqual(["www.example.org. A 192.0.2.1"], answers(self.ask("www.example.org.")))

    def test_unusable_file_is_not_served(self) -> None:
        self.backend.apply_zone(snapshot())
        with open(os.path.join(self.state_path, "zones", "example.org.zone"), "w") as f:
            f.write("this is not a zone\n")
        time.sleep(1.1)
        self.assertEqual(dns.rcode.REFUSED, self.ask("example.org.", "SOA").rcode())


class TransferTest(BuiltinTestCase):
    def test_axfr_over_tcp(self) -> None:
        self.backend.apply_zone(snapshot(serial=7, records=RECORDS))
        pulled = dns.zone.Zone("example.org.", relativize=False)
        dns.query.inbound_xfr("127.0.0.1", pulled, port=self.backend.server.port, timeout=2)
        expected = zonedata.build_zone(snapshot(serial=7, records=RECORDS))
        self.assertEqual(zonedata.zone_text(expected), zonedata.zone_text(pulled))

    def test_axfr_is_refused_over_udp_outside_the_acl_and_for_non_zones(self) -> None:
        self.backend.apply_zone(snapshot())
        self.assertEqual(dns.rcode.REFUSED, self.ask("example.org.", "AXFR").rcode())
        self.assertEqual(dns.rcode.NOTAUTH,
                         self.ask("www.example.org.", "AXFR", tcp=True).rcode())
        self.flags(group="dns", transfer_acl=["192.0.2.0/24"])
        closed = self.start_backend()
        closed.apply_zone(snapshot())
        self.assertEqual(dns.rcode.REFUSED,
                         ask(closed.server.port, "example.org.", "AXFR", tcp=True).rcode())

    def test_secondary_zone_is_pulled_from_its_master(self) -> None:
        master = self.backend
        self.flags(group="dns", zone_dir=os.path.join(self.state_path, "secondary"))
        secondary = self.start_backend()
        masters = [f"127.0.0.1:{master.server.port}"]
        master.apply_zone(snapshot(serial=20, records={("www.example.org.", "A"): ["192.0.2.1"]}))
        zone = snapshot(zone_type="SECONDARY", masters=masters, serial=1)
        self.assertEqual(20, secondary.apply_zone(zone))
        self.assertEqual(["www.example.org. A 192.0.2.1"],
                         answers(ask(secondary.server.port, "www.example.org.")))
        master.apply_zone(snapshot(serial=21, records={("www.example.org.", "A"): ["192.0.2.2"]}))
        self.assertEqual(21, secondary.apply_zone(zone))
        self.assertEqual(["www.example.org. A 192.0.2.2"],
                         answers(ask(secondary.server.port, "www.example.org.")))
        unreachable = snapshot(name="gone.org.", zone_type="SECONDARY", masters=masters)
        with self.assertRaises(exceptions.DNSBackendError):
            secondary.apply_zone(unreachable)


class ForwardZoneTest(BuiltinTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cluster = helpers.TinyResolver("cluster.local.", "10.96.0.10")
        self.cluster.start()
        self.addCleanup(self.cluster.stop)

    def test_forward_zone_next_to_our_own(self) -> None:
        self.backend.apply_zone(snapshot(name="cloud.local.", records={
            ("www.cloud.local.", "A"): ["192.0.2.80"]}))
        self.assertIsNone(self.backend.apply_zone(snapshot(
            name="cluster.local.", zone_type="FORWARD",
            masters=[f"127.0.0.1:{self.cluster.port}"])))
        self.assertEqual({"cloud.local.", "cluster.local."}, self.backend.zone_names())
        response = self.ask("svc.ns.cluster.local.")
        self.assertEqual(["svc.ns.cluster.local. A 10.96.0.10"], answers(response))
        self.assertEqual(["svc.ns.cluster.local."], self.cluster.queries)
        self.assertEqual(dns.rcode.NXDOMAIN, self.ask("svc.cluster.local.", "TXT").rcode())
        self.assertEqual(["www.cloud.local. A 192.0.2.80"], answers(self.ask("www.cloud.local.")))
        self.assertEqual(2, len(self.cluster.queries))  # our own zone never went there

    def test_dead_resolvers_give_servfail_and_the_next_one_is_tried(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
            silent.bind(("127.0.0.1", 0))
            dead = f"127.0.0.1:{silent.getsockname()[1]}"
            self.backend.apply_zone(snapshot(name="cluster.local.", zone_type="FORWARD",
                                             masters=[dead]))
            self.assertEqual(dns.rcode.SERVFAIL, self.ask("a.cluster.local.").rcode())
            self.backend.apply_zone(snapshot(name="cluster.local.", zone_type="FORWARD",
                                             masters=[dead, f"127.0.0.1:{self.cluster.port}"]))
            self.assertEqual(["a.cluster.local. A 10.96.0.10"],
                             answers(self.ask("a.cluster.local.")))

    def test_forward_zone_becomes_primary(self) -> None:
        self.backend.apply_zone(snapshot(name="cluster.local.", zone_type="FORWARD",
                                         masters=[f"127.0.0.1:{self.cluster.port}"]))
        self.backend.apply_zone(snapshot(name="cluster.local.", records={
            ("a.cluster.local.", "A"): ["192.0.2.1"]}))
        self.assertEqual(["a.cluster.local. A 192.0.2.1"], answers(self.ask("a.cluster.local.")))
        self.assertEqual([], self.cluster.queries)

"""DNS names, TTLs and record data: what is refused, and the canonical text of the rest."""
from common import exceptions
from common.dns import validation as valid
from tests.unit import base


class NameTest(base.TestCase):
    def test_zone_names_are_normalized(self) -> None:
        self.assertEqual("example.org.", valid.zone_name("Example.ORG."))
        self.assertEqual("1.0.10.in-addr.arpa.", valid.zone_name("1.0.10.in-addr.arpa."))

    def test_invalid_zone_names(self) -> None:
        for name in ("example.org", "org.", "a..org.", "-a.org.", "a-.org.", "*.a.org.",
                     "a b.org.", ("x" * 64) + ".org.", ("a." * 127) + "org.", "", None, 5):
            with self.subTest(name=name), self.assertRaises(exceptions.InvalidZoneName) as cm:
                valid.zone_name(name)
            self.assertEqual("invalid_zone_name", cm.exception.error_type)
            self.assertEqual(400, cm.exception.code)

    def test_longest_label_and_name(self) -> None:
        # 255 octets on the wire: 254 characters with the trailing dot.
        name = ".".join(["x" * 63] * 3) + "." + "y" * 61 + "."
        self.assertEqual(254, len(name))
        self.assertEqual(name, valid.zone_name(name))
        with self.assertRaises(exceptions.InvalidZoneName):
            valid.zone_name("z" + name)

    def test_recordset_names(self) -> None:
        self.assertEqual("www.example.org.", valid.recordset_name("WWW.example.org.",
                                                                  "example.org."))
        self.assertEqual("example.org.", valid.recordset_name("example.org.", "example.org."))
        self.assertEqual("*.w.example.org.", valid.recordset_name("*.w.example.org.",
                                                                  "example.org."))
        self.assertEqual("_sip._tcp.example.org.",
                         valid.recordset_name("_sip._tcp.example.org.", "example.org."))

    def test_invalid_recordset_names(self) -> None:
        for name in ("www", "www.example.org", "a.*.example.org.", "a..example.org.",
                     ("x" * 64) + ".example.org."):
            with self.subTest(name=name), self.assertRaises(exceptions.InvalidRecordSetName):
                valid.recordset_name(name, "example.org.")

    def test_recordset_outside_its_zone(self) -> None:
        for name in ("www.example.com.", "badexample.org.", "org."):
            with self.subTest(name=name), \
                    self.assertRaises(exceptions.InvalidRecordSetLocation) as cm:
                valid.recordset_name(name, "example.org.")
            self.assertEqual("invalid_recordset_location", cm.exception.error_type)

    def test_tld_names(self) -> None:
        self.assertEqual("org", valid.tld_name("org"))
        self.assertEqual("co.uk", valid.tld_name("CO.uk."))
        for name in ("", ".", "a b", "-org"):
            with self.subTest(name=name), self.assertRaises(exceptions.InvalidObject):
                valid.tld_name(name)

    def test_ttl(self) -> None:
        self.assertIsNone(valid.ttl(None))
        self.assertEqual(0, valid.ttl(0))
        self.assertEqual(300, valid.ttl(300))
        self.assertEqual(2147483647, valid.ttl(2147483647))
        for ttl in (-1, 2147483648, "300", True, 1.5):
            with self.subTest(ttl=ttl), self.assertRaises(exceptions.InvalidTTL):
                valid.ttl(ttl)

    def test_email_and_rname(self) -> None:
        self.assertEqual("hostmaster.example.org.",
                         valid.email_to_rname(valid.email("hostmaster@example.org")))
        # A dot in the local part is escaped, or it would read as a label boundary.
        self.assertEqual("host\\.master.example.org.",
                         valid.email_to_rname("host.master@example.org"))
        for email in ("nobody", "a@b", "a b@example.org", None):
            with self.subTest(email=email), self.assertRaises(exceptions.InvalidObject):
                valid.email(email)

    def test_reverse_names(self) -> None:
        self.assertEqual("5.1.0.10.in-addr.arpa.", valid.reverse_name("10.0.1.5"))
        self.assertTrue(valid.reverse_name("2001:db8::1").endswith(".8.b.d.0.1.0.0.2.ip6.arpa."))


class RecordDataTest(base.TestCase):
    def assertCanonical(self, rtype: str, data: str, expected: str) -> None:
        self.assertEqual(expected, valid.canonical_rdata(rtype, data))

    def test_valid_records(self) -> None:
        self.assertCanonical("A", "192.0.2.1", "192.0.2.1")
        self.assertCanonical("AAAA", "2001:DB8:0::1", "2001:db8::1")
        self.assertCanonical("CNAME", "Target.example.org.", "target.example.org.")
        self.assertCanonical("MX", "10 mail.example.org.", "10 mail.example.org.")
        self.assertCanonical("SRV", "10 60 5060 server1.example.com.",
                             "10 60 5060 server1.example.com.")
        self.assertCanonical("PTR", "web.example.org.", "web.example.org.")
        self.assertCanonical("NS", "ns1.example.net.", "ns1.example.net.")
        self.assertCanonical("SSHFP", "2 1 123456789abcdef67890123456789abcdef67890",
                             "2 1 123456789abcdef67890123456789abcdef67890")
        self.assertCanonical("CAA", '0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"')

    def test_invalid_records(self) -> None:
        cases = [("A", "b0rk"), ("A", "192.0.2.256"), ("A", "2001:db8::1"), ("AAAA", "b0rk"),
                 ("AAAA", "192.0.2.1"), ("CNAME", "target.example.org"), ("CNAME", "b0rk"),
                 ("MX", "mail.example.org."), ("MX", " mail.example.org."),
                 ("MX", "-0 mail.example.org."), ("MX", "-1 mail.example.org."),
                 ("MX", "10 mail.example.org"), ("MX", "65536 mail.example.org."),
                 ("SRV", "10 60 mail.example.org."), ("SRV", "10 60 70000 a.example.org."),
                 ("SRV", "10 60 5060 a.example.org"), ("PTR", "b0rk"), ("SSHFP", "b0rk"),
                 ("A", ""), ("A", None), ("SPF", '"v=spf1 +all\\\\"')]
        for rtype, data in cases:
            with self.subTest(rtype=rtype, data=data), \
                    self.assertRaises(exceptions.InvalidObject) as cm:
                valid.canonical_rdata(rtype, data)
            self.assertEqual("invalid_object", cm.exception.error_type)

    def test_txt_quoting(self) -> None:
        # Designate's rules (designate-tempest-plugin valid/invalid TXT datasets).
        self.assertCanonical("TXT", "Any Old Text Goes Here", '"Any Old Text Goes Here"')
        self.assertCanonical("TXT", '"\\\\ "', '"\\\\ "')
        self.assertCanonical("TXT", '"the txts    "', '"the txts    "')
        self.assertCanonical("TXT", '"one" "two"', '"one" "two"')
        self.assertCanonical("TXT", "x" * 300, '"' + "x" * 255 + '" "' + "x" * 45 + '"')
        for data in ('"\\\\"', '"\\\\\\\\"', '"v=spf1 +all\\\\"', 'say "hi"', "ends\\",
                     '"unbalanced'):
            with self.subTest(data=data), self.assertRaises(exceptions.InvalidObject):
                valid.canonical_rdata("TXT", data)

    def test_records_of_a_recordset(self) -> None:
        self.assertEqual(["2001:db8::1", "2001:db8::"], valid.records(
            "AAAA", "www.example.org.", "example.org.",
            ["2001:db8::1", "2001:db8::1", "2001:db8::"]))
        with self.assertRaises(exceptions.InvalidObject):
            valid.records("CNAME", "www.example.org.", "example.org.",
                          ["a.example.org.", "b.example.org."])
        with self.assertRaises(exceptions.InvalidRecordSetLocation):
            valid.records("CNAME", "example.org.", "example.org.", ["a.example.org."])
        with self.assertRaises(exceptions.InvalidObject) as cm:
            valid.records("NS", "*.example.org.", "example.org.", ["ns.example.org."])
        self.assertEqual("invalid_object", cm.exception.error_type)
        with self.assertRaises(exceptions.InvalidObject):
            valid.records("A", "www.example.org.", "example.org.", "192.0.2.1")

    def test_svcb_and_https(self) -> None:
        # designate-tempest-plugin's valid records (API 2.2), as dnspython writes them.
        self.assertCanonical(
            "SVCB", "1 sample.example.org. alpn=h3,h2,http/1.1 ipv4hint=1.2.3.4,9.8.7.6 "
                    "ipv6hint=2001:db8::1,2001:db8::2 port=888 dohpath=/dns-query{?dns}",
            '1 sample.example.org. alpn="h3,h2,http/1.1" port="888" '
            'ipv4hint="1.2.3.4,9.8.7.6" ipv6hint="2001:db8::1,2001:db8::2" '
            'dohpath="/dns-query{?dns}"')
        self.assertCanonical("HTTPS", "1 sample.example.org. alpn=http/1.1 no-default-alpn "
                                      "port=8000",
                             '1 sample.example.org. alpn="http/1.1" no-default-alpn '
                             'port="8000"')
        self.assertCanonical("HTTPS", "1 s.example.org. ipv4hint=192.168.1.2 alpn=h2 "
                                      "mandatory=alpn",
                             '1 s.example.org. mandatory="alpn" alpn="h2" '
                             'ipv4hint="192.168.1.2"')
        self.assertCanonical("HTTPS", "0 pool.example.org.", "0 pool.example.org.")
        for rtype, data in [("HTTPS", "1 sample.example.org. alpn=foo"),
                            ("HTTPS", "1 sample.example.org. port=foo"),
                            ("HTTPS", "1 sample.example.org. port=8888 ech=foo//"),
                            ("SVCB", "1 s.example.org. ipv6hint=2001:db8::1 "
                                     "mandatory=alpn,ipv4hint"),
                            ("SVCB", "1 s.example.org. ipv4hint=foo,192.168.1.2"),
                            ("SVCB", "1 s.example.org. ipv6hint=foo"),
                            ("SVCB", "1 s.example.org. no-default-alpn"),
                            ("SVCB", "1 s.example.org. dohpath=/dns-query"),
                            ("SVCB", "1 s.example.org. key65000=x"),
                            ("SVCB", "0 s.example.org. alpn=h2"),
                            ("SVCB", "1 relative alpn=h2"), ("SVCB", "70000 s.example.org."),
                            ("SVCB", "b0rk"), ("HTTPS", "1")]:
            with self.subTest(rtype=rtype, data=data), \
                    self.assertRaises(exceptions.InvalidObject) as cm:
                valid.canonical_rdata(rtype, data)
            self.assertEqual("invalid_object", cm.exception.error_type)

    def test_svcb_of_a_dns_server_needs_a_dohpath_for_http(self) -> None:
        with self.assertRaises(exceptions.InvalidObject):
            valid.records("SVCB", "_dns.example.org.", "example.org.", ["1 d.example.org. alpn=h2"])
        self.assertEqual(["1 d.example.org. alpn=h2 dohpath=/q{?dns}"], valid.records(
            "SVCB", "_dns.example.org.", "example.org.",
            ["1 d.example.org. alpn=h2 dohpath=/q{?dns}"]))

    def test_tlsa(self) -> None:
        sha256, sha512 = "ab" * 32, "ab" * 64
        self.assertCanonical("TLSA", "3 1 1 " + sha256.upper(), "3 1 1 " + sha256)
        self.assertCanonical("TLSA", "3 1 2 " + sha512, "3 1 2 " + sha512)
        self.assertCanonical("TLSA", "3 1 1 (\n  " + sha256[:32] + "\n  " + sha256[32:] + " )",
                             "3 1 1 " + sha256)
        # Matching types other than SHA-256/512 take any length; every field is 8 bits.
        self.assertCanonical("TLSA", "255 255 255 aabbccdd", "255 255 255 aabbccdd")
        for data in ("3 1 1 " + sha256[:32], "3 1 2 " + sha256, "3 1 0 abc", "3 1 0 zz",
                     "256 1 0 ab", "-1 1 0 ab", "3 1 1", "b0rk"):
            with self.subTest(data=data), self.assertRaises(exceptions.InvalidObject) as cm:
                valid.canonical_rdata("TLSA", data)
            self.assertEqual("invalid_object", cm.exception.error_type)

    def test_tlsa_records_are_stored_as_submitted_and_named_port_protocol(self) -> None:
        self.assertEqual(["3 1 0 AA BB CC DD"], valid.records(
            "TLSA", "_445._tcp.example.org.", "example.org.",
            ["3 1 0 AA BB CC DD", "3 1 0 aabbccdd"]))
        valid.records("TLSA", "_0._udp.www.example.org.", "example.org.", ["3 1 0 aa"])
        for name in ("example.org.", "_65536._tcp.example.org.", "_443.www.example.org.",
                     "www.example.org.", "*._tcp.example.org.", "_x._tcp.example.org."):
            with self.subTest(name=name), self.assertRaises(exceptions.DNSBadRequest) as cm:
                valid.records("TLSA", name, "example.org.", ["3 1 0 aa"])
            self.assertEqual("bad_request", cm.exception.error_type)

    def test_soa_is_not_a_user_type(self) -> None:
        self.assertNotIn("SOA", valid.USER_TYPES)
        self.assertIn("SOA", valid.RECORD_TYPES)

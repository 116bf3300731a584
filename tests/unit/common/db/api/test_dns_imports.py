"""Zone imports: a zone file becomes a zone with its recordsets, or an ERROR task and
nothing else."""
from common import exceptions
from common.db.api import dns, dns_imports, dns_quotas, dns_sync, dns_tlds
from tests.unit import base
from tests.unit.base.network import ADMIN

P1, P2 = "project-1", "project-2"
# As designate-tempest-plugin writes them (data_utils.rand_zonefile_data).
ZONE_FILE = ("$ORIGIN example.org.\n"
             "example.org. 600 IN SOA ns.example.org. nsadmin.example.org. 2024010101 "
             "7200 900 1209600 300\n"
             "example.org. 600 IN NS ns.example.org.\n"
             "example.org. 600 IN MX 10 mail.example.org.\n"
             "ns.example.org. 360 IN A 1.0.0.1\n")
EXTRA = ("$TTL 120\n"
         "www IN A 192.0.2.1\n"
         "www IN A 192.0.2.2\n"
         "sub IN NS ns.sub\n"
         "_443._tcp.www IN TLSA 3 1 1 " + "ab" * 32 + "\n"
         "www IN HTTPS 1 . alpn=h2\n"
         'txt IN TXT "hello" "world"\n')


class ImportTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(group="dns", nameservers=["ns1.strato.test."])

    def records(self, zone_id: str) -> dict[tuple[str, str], tuple[int | None, list[str]]]:
        return {(rs.name, rs.type): (rs.ttl, list(rs.records))
                for rs in dns.list_recordsets(ADMIN, zone_id)}

    def assertFailed(self, task, message: str) -> None:
        self.assertEqual(("ERROR", None), (task.status, task.zone_id))
        self.assertIn(message, task.message)

    def test_zone_file_becomes_a_pending_zone_with_its_recordsets(self) -> None:
        task = dns_imports.import_zone(ADMIN, P1, ZONE_FILE + EXTRA)
        self.assertEqual(("COMPLETE", "example.org. imported", P1, 1),
                         (task.status, task.message, task.project_id, task.version))
        zone = dns.get_zone(ADMIN, task.zone_id, P1)
        self.assertEqual(("example.org.", "nsadmin@example.org", 600, "PENDING", "CREATE"),
                         (zone.name, zone.email, zone.ttl, zone.status, zone.action))
        self.assertEqual((2024010101, 7200, 900, 1209600, 300),
                         (zone.serial, zone.refresh, zone.retry, zone.expire, zone.minimum))
        records = self.records(zone.id)
        # The SOA and the apex NS are Strato's; everything else as the file says.
        self.assertEqual((None, ["ns1.strato.test."]), records[("example.org.", "NS")])
        self.assertEqual(f"ns1.strato.test. nsadmin.example.org. {zone.serial} 7200 900 "
                         "1209600 300", records[("example.org.", "SOA")][1][0])
        self.assertEqual({
            ("example.org.", "MX"): (600, ["10 mail.example.org."]),
            ("ns.example.org.", "A"): (360, ["1.0.0.1"]),
            ("www.example.org.", "A"): (120, ["192.0.2.1", "192.0.2.2"]),
            ("sub.example.org.", "NS"): (120, ["ns.sub.example.org."]),
            ("_443._tcp.www.example.org.", "TLSA"): (120, ["3 1 1 " + "ab" * 32]),
            ("www.example.org.", "HTTPS"): (120, ['1 . alpn="h2"']),
            ("txt.example.org.", "TXT"): (120, ['"hello" "world"']),
        }, {key: value for key, value in records.items()
            if key not in {("example.org.", "NS"), ("example.org.", "SOA")}})
        self.assertTrue(all(rs.status == "PENDING" and rs.action == "CREATE"
                            for rs in dns.list_recordsets(ADMIN, zone.id)))
        snapshot, = dns_sync.get_zones(ADMIN, [zone.id])
        self.assertEqual(9, len(snapshot["recordsets"]))

    def test_serial_is_never_older_than_now(self) -> None:
        task = dns_imports.import_zone(ADMIN, P1, ZONE_FILE.replace("2024010101", "7"))
        self.assertGreater(dns.get_zone(ADMIN, task.zone_id).serial, 1700000000)

    def test_bad_zone_files_end_in_error_and_leave_no_zone(self) -> None:
        cases = {
            "Malformed zone file": ZONE_FILE.replace("600 IN SOA", "zahlabut IN SOA"),
            "$ORIGIN": ZONE_FILE.replace("$ORIGIN example.org.", "$ORIGIN @@@"),
            "no SOA": "$ORIGIN example.org.\nwww 300 IN A 192.0.2.1\n",
            "not allowed": ZONE_FILE + "$INCLUDE /etc/passwd\n",
            "$GENERATE": ZONE_FILE + "$GENERATE 1-1000000 h$ A 192.0.2.1\n",
            "Unsupported recordset type": ZONE_FILE + "x 300 IN DNAME y.example.org.\n",
            "Invalid SVCB record": ZONE_FILE + "x 300 IN SVCB 1 . alpn=foo\n",
            "TLSA recordset": ZONE_FILE + "tlsa 300 IN TLSA 3 1 1 " + "ab" * 32 + "\n",
            "CNAME": ZONE_FILE + "ns 300 IN CNAME www.example.org.\n",
            "Invalid email": ZONE_FILE.replace("nsadmin.example.org.", "root.org."),
            "not a mailbox": ZONE_FILE.replace("nsadmin.example.org.", "root."),
        }
        for message, text in cases.items():
            with self.subTest(message=message):
                self.assertFailed(dns_imports.import_zone(ADMIN, P1, text), message)
        self.assertFailed(dns_imports.import_zone(ADMIN, P1, "x" * 100), "$ORIGIN")
        self.assertEqual([], dns.list_zones(ADMIN))
        self.assertEqual(len(cases) + 1, dns_imports.count_imports(ADMIN, P1, {"status": "ERROR"}))

    def test_zone_checks_apply_as_through_the_api(self) -> None:
        dns.create_zone(ADMIN, P1, "example.org.", email="a@example.org")
        self.assertFailed(dns_imports.import_zone(ADMIN, P1, ZONE_FILE), "already exists")
        self.assertFailed(dns_imports.import_zone(ADMIN, P2, ZONE_FILE.replace(
            "example.org.", "sub.example.org.")), "overlap")
        dns_tlds.create_tld(ADMIN, "net")
        self.assertFailed(dns_imports.import_zone(ADMIN, P1, ZONE_FILE.replace(
            "example.org.", "example.com.")), "TLD")
        dns_quotas.set_quotas(ADMIN, P2, {"zone_recordsets": 3})
        self.assertFailed(dns_imports.import_zone(ADMIN, P2, ZONE_FILE.replace(
            "example.org.", "example.net.")), "Quota")
        self.assertEqual(["example.org."], [z.name for z in dns.list_zones(ADMIN)])

    def test_attributes_go_to_the_zone_and_pool_id_must_be_strato_s(self) -> None:
        pool_id = "794ccc2c-d751-44fe-b57f-8894c9f5c842"
        task = dns_imports.import_zone(ADMIN, P1, ZONE_FILE, {"pool_id": pool_id, "tier": "gold"})
        self.assertEqual({"pool_id": pool_id, "tier": "gold"},
                         dns.get_zone(ADMIN, task.zone_id).attributes)
        with self.assertRaises(exceptions.NotFound):
            dns_imports.import_zone(ADMIN, P1, ZONE_FILE, {"pool_id": "00000000-0000-0000-0000-"
                                                               "000000000000"})
        self.assertEqual(1, dns_imports.count_imports(ADMIN))

    def test_get_list_and_delete_are_per_project(self) -> None:
        mine = dns_imports.import_zone(ADMIN, P1, ZONE_FILE)
        theirs = dns_imports.import_zone(ADMIN, P2, "bad")
        self.assertEqual(mine.id, dns_imports.get_import(ADMIN, mine.id, P1).id)
        with self.assertRaises(exceptions.ZoneImportNotFound) as cm:
            dns_imports.get_import(ADMIN, theirs.id, P1)
        self.assertEqual("zone_import_not_found", cm.exception.error_type)
        self.assertEqual([mine.id], [t.id for t in dns_imports.list_imports(ADMIN, P1)])
        self.assertEqual(2, len(dns_imports.list_imports(ADMIN)))
        self.assertEqual([theirs.id], [t.id for t in dns_imports.list_imports(ADMIN,
            filters={"status": "ERROR"})])
        with self.assertRaises(exceptions.InvalidSortKey):
            dns_imports.list_imports(ADMIN, sort_key="message")
        with self.assertRaises(exceptions.ZoneImportNotFound):
            dns_imports.delete_import(ADMIN, theirs.id, P1)
        dns_imports.delete_import(ADMIN, mine.id, P1)
        self.assertEqual(0, dns_imports.count_imports(ADMIN, P1))
        dns.get_zone(ADMIN, mine.zone_id)  # the zone stays

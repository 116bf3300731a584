"""What the dns agent reads (snapshots) and reports (synced, purged) through the conductor."""
from common.db.api import dns, dns_sync
from tests.unit import base
from tests.unit.base.network import ADMIN


class SyncTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(group="dns", nameservers=["ns1.strato.test."])
        self.zone = dns.create_zone(ADMIN, "p1", "example.org.", email="admin@example.org", ttl=300)

    def snapshot(self) -> dict:
        snapshot, = dns_sync.get_zones(ADMIN, [self.zone.id])
        return snapshot

    def synced(self, ok: bool = True, serial: int | None = None) -> None:
        serial = dns.get_zone(ADMIN, self.zone.id).serial if serial is None else serial
        dns_sync.zones_synced(ADMIN, [{"zone_id": self.zone.id, "serial": serial, "ok": ok}])

    def test_snapshot_holds_canonical_records_and_a_fresh_soa(self) -> None:
        dns.create_recordset(ADMIN, self.zone.id, "www.example.org.", "A", ["192.0.2.1"], ttl=60)
        dns.create_recordset(ADMIN, self.zone.id, "txt.example.org.", "TXT", ["hello world"])
        snapshot = self.snapshot()
        serial = dns.get_zone(ADMIN, self.zone.id).serial
        self.assertEqual(("example.org.", "PRIMARY", serial, [], "CREATE", "PENDING"),
                         (snapshot["name"], snapshot["type"], snapshot["serial"],
                          snapshot["masters"], snapshot["action"], snapshot["status"]))
        by_key = {(rs["name"], rs["type"]): rs for rs in snapshot["recordsets"]}
        self.assertEqual({"name": "www.example.org.", "type": "A", "ttl": 60,
                          "records": ["192.0.2.1"]}, by_key[("www.example.org.", "A")])
        self.assertEqual(['"hello world"'], by_key[("txt.example.org.", "TXT")]["records"])
        self.assertEqual(300, by_key[("example.org.", "NS")]["ttl"])
        self.assertEqual([f"ns1.strato.test. admin.example.org. {serial} 3600 600 86400 3600"],
                         by_key[("example.org.", "SOA")]["records"])
        self.assertEqual([snapshot], [z for z in dns_sync.get_zones(ADMIN)
                                      if z["id"] == self.zone.id])

    def test_synced_at_current_serial_activates_zone_and_recordsets(self) -> None:
        rs = dns.create_recordset(ADMIN, self.zone.id, "www.example.org.", "A", ["192.0.2.1"])
        self.synced()
        zone = dns.get_zone(ADMIN, self.zone.id)
        self.assertEqual(("ACTIVE", "NONE"), (zone.status, zone.action))
        self.assertEqual({("ACTIVE", "NONE")}, {(r.status, r.action)
                                                for r in dns.list_recordsets(ADMIN, self.zone.id)})
        dns.delete_recordset(ADMIN, self.zone.id, rs.id)
        self.assertNotIn("www.example.org.", [r["name"] for r in
                                              self.snapshot()["recordsets"]])
        self.synced()
        self.assertEqual(2, dns.count_recordsets(ADMIN, self.zone.id))  # SOA and NS left

    def test_synced_at_an_older_serial_stays_pending(self) -> None:
        old = dns.get_zone(ADMIN, self.zone.id).serial
        dns.create_recordset(ADMIN, self.zone.id, "www.example.org.", "A", ["192.0.2.1"])
        self.synced(serial=old)
        zone = dns.get_zone(ADMIN, self.zone.id)
        self.assertEqual(("PENDING", "CREATE"), (zone.status, zone.action))

    def test_failed_sync_is_an_error_until_a_good_one(self) -> None:
        self.synced(ok=False)
        self.assertEqual("ERROR", dns.get_zone(ADMIN, self.zone.id).status)
        self.synced()
        self.assertEqual("ACTIVE", dns.get_zone(ADMIN, self.zone.id).status)

    def test_secondary_zone_takes_the_transferred_serial(self) -> None:
        zone = dns.create_zone(ADMIN, "p1", "sec.org.", type="SECONDARY", masters=["192.0.2.1"])
        dns_sync.zones_synced(ADMIN, [{"zone_id": zone.id, "serial": zone.serial, "ok": True,
                                       "transferred": 42}])
        zone = dns.get_zone(ADMIN, zone.id)
        self.assertEqual((42, "ACTIVE"), (zone.serial, zone.status))
        self.assertIsNotNone(zone.transferred_at)

    def test_deleting_zone_is_listed_then_purged(self) -> None:
        dns.delete_zone(ADMIN, self.zone.id)
        self.synced()  # ignored: the zone is going away
        self.assertEqual("DELETE", self.snapshot()["action"])
        dns_sync.purge_zone(ADMIN, self.zone.id)
        self.assertEqual([], dns_sync.get_zones(ADMIN, [self.zone.id]))

    def test_purge_only_drops_zones_marked_for_deletion(self) -> None:
        dns_sync.purge_zone(ADMIN, self.zone.id)
        self.assertEqual(self.zone.id, dns.get_zone(ADMIN, self.zone.id).id)

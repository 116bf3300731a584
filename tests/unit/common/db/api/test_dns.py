"""Zones and recordsets: creation, validation in context, serials, statuses, lists."""
import time
from unittest import mock

from common import exceptions
from common.db.api import dns, dns_quotas, dns_sync, dns_tlds
from tests.unit import base
from tests.unit.base.network import ADMIN

P1, P2 = "project-1", "project-2"


class DNSTestCase(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(group="dns", nameservers=["ns1.strato.test.", "ns2.strato.test."])

    def zone(self, name: str = "example.org.", project_id: str = P1, **kwargs: object):
        kwargs.setdefault("email", "admin@example.org")
        return dns.create_zone(ADMIN, project_id, name, **kwargs)

    def rrset_types(self, zone_id: str) -> list[tuple[str, str]]:
        return sorted((rs.name, rs.type) for rs in dns.list_recordsets(ADMIN, zone_id))


class ZoneTest(DNSTestCase):
    def test_create_primary_zone_with_soa_and_ns(self) -> None:
        zone = self.zone("Example.ORG.", ttl=600, description="d")
        self.assertEqual(("example.org.", "PENDING", "CREATE", "PRIMARY", 600, [], {}),
                         (zone.name, zone.status, zone.action, zone.type, zone.ttl,
                          zone.masters, zone.attributes))
        self.assertEqual([("example.org.", "NS"), ("example.org.", "SOA")],
                         self.rrset_types(zone.id))
        soa, = dns.list_recordsets(ADMIN, zone.id, filters={"type": "SOA"})
        self.assertEqual(f"ns1.strato.test. admin.example.org. {zone.serial} 3600 600 86400 "
                         "3600", soa.records[0])
        self.assertTrue(soa.managed)
        ns, = dns.list_recordsets(ADMIN, zone.id, filters={"type": "NS"})
        self.assertEqual(["ns1.strato.test.", "ns2.strato.test."], list(ns.records))
        self.assertEqual([{"hostname": "ns1.strato.test.", "priority": 1},
                          {"hostname": "ns2.strato.test.", "priority": 2}],
                         dns.list_nameservers(ADMIN, zone.id))

    def test_defaults_and_required_fields(self) -> None:
        zone = self.zone()
        self.assertEqual((3600, "794ccc2c-d751-44fe-b57f-8894c9f5c842", 1, False),
                         (zone.ttl, zone.pool_id, zone.version, zone.shared))
        with self.assertRaises(exceptions.InvalidObject):
            dns.create_zone(ADMIN, P1, "noemail.org.")
        with self.assertRaises(exceptions.InvalidObject):
            self.zone("bad.org.", type="SLAVE")
        with self.assertRaises(exceptions.InvalidTTL):
            self.zone("ttl.org.", ttl=-1)

    def test_duplicate_zone_is_a_conflict_for_any_project(self) -> None:
        self.zone()
        for project_id in (P1, P2):
            with self.assertRaises(exceptions.DuplicateZone) as cm:
                self.zone("EXAMPLE.org.", project_id=project_id)
            self.assertEqual((409, "duplicate_zone"), (cm.exception.code,
                                                       cm.exception.error_type))

    def test_sub_and_super_zones_of_another_project_are_forbidden(self) -> None:
        self.zone("a.b.example.org.")
        for name in ("sub.a.b.example.org.", "b.example.org.", "example.org."):
            with self.subTest(name=name), self.assertRaises(exceptions.DNSForbidden) as cm:
                self.zone(name, project_id=P2)
            self.assertEqual((403, "forbidden"), (cm.exception.code, cm.exception.error_type))
        self.zone("sub.a.b.example.org.")  # the same project may
        self.zone("other-example.org.", project_id=P2)

    def test_tlds_restrict_zone_names_once_defined(self) -> None:
        self.zone("free.test.")
        dns_tlds.create_tld(ADMIN, "org")
        self.zone("example.org.")
        with self.assertRaises(exceptions.InvalidTLD) as cm:
            self.zone("example.net.")
        self.assertEqual("invalid_zone_name", cm.exception.error_type)
        dns_tlds.create_tld(ADMIN, "co.uk")
        self.zone("example.co.uk.")
        with self.assertRaises(exceptions.InvalidTLD):
            self.zone("co.uk.")

    def test_zone_quota(self) -> None:
        dns_quotas.set_quotas(ADMIN, P1, {"zones": 1})
        self.zone("one.org.")
        with self.assertRaises(exceptions.OverQuota) as cm:
            self.zone("two.org.")
        self.assertEqual((413, "over_quota"), (cm.exception.code, cm.exception.error_type))
        self.zone("two.org.", project_id=P2)

    def test_secondary_and_forward_zones(self) -> None:
        secondary = self.zone("sec.org.", type="SECONDARY", email=None,
                              masters=["192.0.2.1", "[2001:db8::1]:5353"])
        self.assertEqual(["192.0.2.1:53", "[2001:db8::1]:5353"], secondary.masters)
        self.assertEqual("hostmaster@sec.org", secondary.email)
        self.assertEqual([], self.rrset_types(secondary.id))
        forward = self.zone("cluster.local.", type="FORWARD", masters=["127.0.0.1:5399"])
        self.assertEqual(["127.0.0.1:5399"], forward.masters)
        for masters in (None, [], ["nohost"], ["192.0.2.1:0"], ["192.0.2.1:x"]):
            with self.subTest(masters=masters), self.assertRaises(exceptions.InvalidObject):
                self.zone("bad.org.", type="SECONDARY", masters=masters)
        with self.assertRaises(exceptions.InvalidObject):
            self.zone("bad.org.", masters=["192.0.2.1"])

    def test_get_and_list_respect_projects(self) -> None:
        z1 = self.zone("one.org.")
        z2 = self.zone("two.org.", project_id=P2)
        self.assertEqual(z1.id, dns.get_zone(ADMIN, z1.id, P1).id)
        self.assertEqual(z1.id, dns.get_zone(ADMIN, z1.id).id)
        with self.assertRaises(exceptions.ZoneNotFound) as cm:
            dns.get_zone(ADMIN, z1.id, P2)
        self.assertEqual((404, "zone_not_found"), (cm.exception.code, cm.exception.error_type))
        self.assertEqual([z2.id], [z.id for z in dns.list_zones(ADMIN, P2)])
        self.assertEqual(2, dns.count_zones(ADMIN))
        self.assertEqual(1, dns.count_zones(ADMIN, filters={"name": "t*.org."}))
        named = dns.list_zones(ADMIN, filters={"name": "one.org."})
        self.assertEqual([z1.id], [z.id for z in named])
        with self.assertRaises(exceptions.InvalidObject):
            dns.list_zones(ADMIN, filters={"serial": 1})

    def test_list_pages_by_marker(self) -> None:
        ids = sorted(self.zone(f"z{i}.org.").id for i in range(3))
        first = dns.list_zones(ADMIN, limit=2)
        self.assertEqual(ids[:2], [z.id for z in first])
        rest = dns.list_zones(ADMIN, limit=2, marker=first[-1].id)
        self.assertEqual(ids[2:], [z.id for z in rest])

    def test_update_zone(self) -> None:
        zone = self.zone()
        dns_sync.zones_synced(ADMIN, [{"zone_id": zone.id, "serial": zone.serial, "ok": True}])
        updated = dns.update_zone(ADMIN, zone.id, {"description": "new", "ttl": 900,
                                            "email": "other@example.org"})
        self.assertEqual(("PENDING", "UPDATE", "new", 900, 2),
                         (updated.status, updated.action, updated.description, updated.ttl,
                          updated.version))
        self.assertGreater(updated.serial, zone.serial)
        soa, = dns.list_recordsets(ADMIN, zone.id, filters={"type": "SOA"})
        self.assertIn("other.example.org.", soa.records[0])
        with self.assertRaises(exceptions.InvalidObject):
            dns.update_zone(ADMIN, zone.id, {"name": "renamed.org."})
        with self.assertRaises(exceptions.ZoneNotFound):
            dns.update_zone(ADMIN, zone.id, {"description": "x"}, project_id=P2)

    def test_delete_zone_marks_it_then_purge_drops_it(self) -> None:
        zone = self.zone()
        deleted = dns.delete_zone(ADMIN, zone.id)
        self.assertEqual(("PENDING", "DELETE"), (deleted.status, deleted.action))
        with self.assertRaises(exceptions.DNSBadRequest):
            dns.update_zone(ADMIN, zone.id, {"description": "x"})
        with self.assertRaises(exceptions.DNSBadRequest):
            dns.create_recordset(ADMIN, zone.id, "www.example.org.", "A", ["192.0.2.1"])
        dns_sync.purge_zone(ADMIN, zone.id)
        with self.assertRaises(exceptions.ZoneNotFound):
            dns.get_zone(ADMIN, zone.id)
        self.assertEqual(0, dns.count_recordsets(ADMIN))


class SerialTest(DNSTestCase):
    def test_next_serial_is_time_based_and_strictly_increasing(self) -> None:
        now = int(time.time())
        self.assertGreaterEqual(dns.next_serial(0), now)
        self.assertEqual(now + 1000 + 1, dns.next_serial(now + 1000))
        with mock.patch.object(dns.time, "time", return_value=now + 5000.7):
            self.assertEqual(now + 5000, dns.next_serial(now))

    def test_every_change_raises_the_serial(self) -> None:
        zone = self.zone()
        serials = [zone.serial]
        rs = dns.create_recordset(ADMIN, zone.id, "www.example.org.", "A", ["192.0.2.1"])
        serials.append(dns.get_zone(ADMIN, zone.id).serial)
        dns.update_recordset(ADMIN, zone.id, rs.id, {"records": ["192.0.2.2"]})
        serials.append(dns.get_zone(ADMIN, zone.id).serial)
        dns.delete_recordset(ADMIN, zone.id, rs.id)
        serials.append(dns.get_zone(ADMIN, zone.id).serial)
        dns.update_zone(ADMIN, zone.id, {"description": "x"})
        serials.append(dns.get_zone(ADMIN, zone.id).serial)
        self.assertEqual(serials, sorted(set(serials)))


class RecordSetTest(DNSTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.z = self.zone()

    def create(self, name: str, rtype: str, records: list[str], **kwargs: object):
        return dns.create_recordset(ADMIN, self.z.id, name, rtype, records, **kwargs)

    def test_create_recordset(self) -> None:
        rs = self.create("www.example.org.", "a", ["192.0.2.1", "192.0.2.2", "192.0.2.1"],
                         ttl=300, description="web")
        self.assertEqual(("www.example.org.", "A", 300, "PENDING", "CREATE", False, P1),
                         (rs.name, rs.type, rs.ttl, rs.status, rs.action, rs.managed,
                          rs.project_id))
        self.assertEqual(["192.0.2.1", "192.0.2.2"], list(rs.records))
        zone = dns.get_zone(ADMIN, self.z.id)
        self.assertEqual(("PENDING", "CREATE"), (zone.status, zone.action))
        self.assertEqual(rs.id, dns.get_recordset(ADMIN, self.z.id, rs.id).id)
        self.assertEqual(rs.id, dns.get_recordset(ADMIN, None, rs.id, P1).id)

    def test_recordset_at_apex_and_wildcard(self) -> None:
        self.create("example.org.", "MX", ["10 mail.example.org.", "20 mail2.example.org."])
        self.create("*.example.org.", "A", ["192.0.2.9"])
        self.create("_sip._tcp.example.org.", "SRV", ["10 60 5060 sip.example.org."])
        self.assertIn(("*.example.org.", "A"), self.rrset_types(self.z.id))

    def test_duplicate_recordset(self) -> None:
        self.create("www.example.org.", "A", ["192.0.2.1"])
        with self.assertRaises(exceptions.DuplicateRecordSet) as cm:
            self.create("WWW.example.org.", "A", ["192.0.2.2"])
        self.assertEqual((409, "duplicate_recordset"), (cm.exception.code,
                                                        cm.exception.error_type))

    def test_cname_exclusivity(self) -> None:
        self.create("www.example.org.", "A", ["192.0.2.1"])
        with self.assertRaises(exceptions.InvalidRecordSetLocation):
            self.create("www.example.org.", "CNAME", ["other.example.org."])
        self.create("alias.example.org.", "CNAME", ["www.example.org."])
        with self.assertRaises(exceptions.InvalidRecordSetLocation):
            self.create("alias.example.org.", "TXT", ["hello"])
        with self.assertRaises(exceptions.InvalidRecordSetLocation):
            self.create("example.org.", "CNAME", ["www.example.org."])

    def test_soa_is_refused_and_managed_recordsets_are_protected(self) -> None:
        with self.assertRaises(exceptions.DNSBadRequest) as cm:
            self.create("example.org.", "SOA", ["a. b. 1 2 3 4 5"])
        self.assertEqual("bad_request", cm.exception.error_type)
        ns, = dns.list_recordsets(ADMIN, self.z.id, filters={"type": "NS"})
        with self.assertRaises(exceptions.DNSBadRequest):
            dns.update_recordset(ADMIN, self.z.id, ns.id, {"records": ["ns9.strato.test."]})
        with self.assertRaises(exceptions.DNSBadRequest):
            dns.delete_recordset(ADMIN, self.z.id, ns.id)
        dns.update_recordset(ADMIN, self.z.id, ns.id, {"ttl": 60}, edit_managed=True)
        with self.assertRaises(exceptions.InvalidObject):
            self.create("x.example.org.", "BOGUS", ["x"])

    def test_names_in_a_child_zone_belong_there(self) -> None:
        self.zone("sub.example.org.")
        with self.assertRaises(exceptions.InvalidRecordSetLocation):
            self.create("www.sub.example.org.", "A", ["192.0.2.1"])
        self.create("sub.example.org.", "NS", ["ns1.strato.test."])  # the delegation

    def test_invalid_records_and_names(self) -> None:
        with self.assertRaises(exceptions.InvalidRecordData):
            self.create("www.example.org.", "A", ["b0rk"])
        with self.assertRaises(exceptions.InvalidRecordSetName):
            self.create("www", "A", ["192.0.2.1"])
        with self.assertRaises(exceptions.InvalidRecordSetLocation):
            self.create("www.example.com.", "A", ["192.0.2.1"])
        with self.assertRaises(exceptions.InvalidObject):
            self.create("*.example.org.", "NS", ["ns.example.org."])

    def test_update_recordset(self) -> None:
        rs = self.create("www.example.org.", "A", ["192.0.2.1"])
        serial = dns.get_zone(ADMIN, self.z.id).serial
        dns_sync.zones_synced(ADMIN, [{"zone_id": self.z.id, "serial": serial, "ok": True}])
        updated = dns.update_recordset(ADMIN, self.z.id, rs.id,
                                       {"records": ["192.0.2.7"], "ttl": 60, "description": "d"})
        self.assertEqual((["192.0.2.7"], 60, "d", "PENDING", "UPDATE", 2),
                         (list(updated.records), updated.ttl, updated.description,
                          updated.status, updated.action, updated.version))
        self.assertEqual(("PENDING", "UPDATE"), (dns.get_zone(ADMIN, self.z.id).status,
                                                 dns.get_zone(ADMIN, self.z.id).action))
        with self.assertRaises(exceptions.InvalidObject):
            dns.update_recordset(ADMIN, self.z.id, rs.id, {"name": "x.example.org."})
        with self.assertRaises(exceptions.RecordSetNotFound):
            dns.update_recordset(ADMIN, self.z.id, "nope", {"ttl": 60})

    def test_delete_recordset_then_recreate(self) -> None:
        rs = self.create("www.example.org.", "A", ["192.0.2.1"])
        deleted = dns.delete_recordset(ADMIN, self.z.id, rs.id)
        self.assertEqual(("PENDING", "DELETE"), (deleted.status, deleted.action))
        again = self.create("www.example.org.", "A", ["192.0.2.3"])
        self.assertNotEqual(rs.id, again.id)
        with self.assertRaises(exceptions.RecordSetNotFound):
            dns.get_recordset(ADMIN, self.z.id, rs.id)

    def test_recordset_quotas(self) -> None:
        dns_quotas.set_quotas(ADMIN, P1, {"recordset_records": 2, "zone_recordsets": 4,
                                   "zone_records": 7})
        with self.assertRaises(exceptions.OverQuota):
            self.create("a.example.org.", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3"])
        self.create("a.example.org.", "A", ["192.0.2.1", "192.0.2.2"])
        self.create("b.example.org.", "A", ["192.0.2.1", "192.0.2.2"])  # 4 recordsets
        with self.assertRaises(exceptions.OverQuota):
            self.create("c.example.org.", "A", ["192.0.2.1"])

    def test_list_and_filter_recordsets(self) -> None:
        self.create("www.example.org.", "A", ["192.0.2.1"])
        self.create("mail.example.org.", "A", ["192.0.2.25"])
        other = self.zone("other.org.", project_id=P2)
        dns.create_recordset(ADMIN, other.id, "www.other.org.", "A", ["192.0.2.1"])
        self.assertEqual(4, dns.count_recordsets(ADMIN, self.z.id))
        self.assertEqual(["www.example.org.", "www.other.org."], sorted(
            rs.name for rs in dns.list_recordsets(ADMIN, filters={"name": "www.*"})))
        self.assertEqual(["www.example.org."], [rs.name for rs in dns.list_recordsets(ADMIN,
            project_id=P1, filters={"data": "192.0.2.1"})])
        self.assertEqual(1, dns.count_recordsets(ADMIN, filters={"data": "192.0.2.2*"}))
        with self.assertRaises(exceptions.ZoneNotFound):
            dns.list_recordsets(ADMIN, self.z.id, project_id=P2)

    def test_recordsets_of_secondary_zones_cannot_change(self) -> None:
        zone = self.zone("sec.org.", type="SECONDARY", masters=["192.0.2.1"])
        with self.assertRaises(exceptions.DNSBadRequest):
            dns.create_recordset(ADMIN, zone.id, "www.sec.org.", "A", ["192.0.2.1"])


class TldTest(base.DatabaseTestCase):
    def test_tld_lifecycle(self) -> None:
        tld = dns_tlds.create_tld(ADMIN, "ORG", "sample tld")
        self.assertEqual(("org", "sample tld"), (tld.name, tld.description))
        with self.assertRaises(exceptions.DuplicateTld) as cm:
            dns_tlds.create_tld(ADMIN, "org.")
        self.assertEqual("duplicate_tld", cm.exception.error_type)
        com = dns_tlds.create_tld(ADMIN, "com")
        self.assertEqual(2, dns_tlds.count_tlds(ADMIN))
        self.assertEqual(["com"], [t.name for t in dns_tlds.list_tlds(ADMIN, {"name": "c*"})])
        updated = dns_tlds.update_tld(ADMIN, com.id, {"name": "net", "description": "n"})
        self.assertEqual(("net", "n"), (updated.name, updated.description))
        with self.assertRaises(exceptions.DuplicateTld):
            dns_tlds.update_tld(ADMIN, com.id, {"name": "org"})
        dns_tlds.delete_tld(ADMIN, tld.id)
        with self.assertRaises(exceptions.TldNotFound) as cm:
            dns_tlds.get_tld(ADMIN, tld.id)
        self.assertEqual("tld_not_found", cm.exception.error_type)
        with self.assertRaises(exceptions.TldNotFound):
            dns_tlds.delete_tld(ADMIN, tld.id)


class QuotaTest(base.DatabaseTestCase):
    def test_defaults_overrides_and_reset(self) -> None:
        self.flags(group="dns", quota_zones=7)
        self.assertEqual({"zones": 7, "zone_recordsets": 500, "zone_records": 500,
                          "recordset_records": 20, "api_export_size": 1000},
                         dns_quotas.get_quotas(ADMIN, P1))
        self.assertEqual(3, dns_quotas.set_quotas(ADMIN, P1, {"zones": 3})["zones"])
        self.assertEqual(-1, dns_quotas.set_quotas(ADMIN, P1, {"zones": -1})["zones"])
        self.assertEqual(7, dns_quotas.get_quotas(ADMIN, P2)["zones"])
        dns_quotas.reset_quotas(ADMIN, P1)
        self.assertEqual(7, dns_quotas.get_quotas(ADMIN, P1)["zones"])
        for values in ({"bogus": 1}, {"zones": -2}, {"zones": "1"}):
            with self.subTest(values=values), self.assertRaises(exceptions.InvalidObject):
                dns_quotas.set_quotas(ADMIN, P1, values)

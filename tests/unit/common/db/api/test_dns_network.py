"""DNS of ports and floating IPs: managed recordsets, internal names, OVN's records."""
import uuid

import sqlalchemy as sa

from common import exceptions
from common.db import models, session
from common.db.api import dns, dns_internal, dns_network, dns_sync
from tests.unit import base
from tests.unit.base.dns import NetworkRowsMixin
from tests.unit.base.network import ADMIN


class RecordsOfTest(base.TestCase):
    def test_port_recordsets(self) -> None:
        port = {"dns_name": "Web", "dns_domain": "example.org.",
                "fixed_ips": ["10.0.1.5", "fd00::5"]}
        self.assertEqual([("web.example.org.", "A", ["10.0.1.5"]),
                          ("web.example.org.", "AAAA", ["fd00::5"]),
                          ("5.1.0.10.in-addr.arpa.", "PTR", ["web.example.org."]),
                          ("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f."
                           "ip6.arpa.", "PTR", ["web.example.org."])],
                         dns_network.port_recordsets(port))

    def test_no_records_without_name_or_domain(self) -> None:
        for port in ({"dns_name": "", "dns_domain": "example.org.", "fixed_ips": ["10.0.0.1"]},
                     {"dns_name": "web", "dns_domain": "", "fixed_ips": ["10.0.0.1"]},
                     {"dns_name": "web", "dns_domain": None, "fixed_ips": ["10.0.0.1"]}):
            self.assertEqual([], dns_network.port_recordsets(port))

    def test_floatingip_recordsets(self) -> None:
        self.assertEqual([("100.4.24.172.in-addr.arpa.", "PTR", ["web.example.org."])],
                         dns_network.floatingip_recordsets(
                             {"floating_ip_address": "172.24.4.100",
                              "fqdn": "web.example.org."}))
        self.assertEqual([], dns_network.floatingip_recordsets(
            {"floating_ip_address": "172.24.4.100", "fqdn": None}))


class ManagedRecordsTest(NetworkRowsMixin, base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags(group="dns", nameservers=["ns1.strato.test."])
        self.zone = dns.create_zone(ADMIN, "p1", "example.org.", email="admin@example.org")
        self.reverse = dns.create_zone(ADMIN, "p1", "1.0.10.in-addr.arpa.",
                                       email="admin@example.org")
        self.net = self.network("example.org.")

    def managed(self) -> dict[tuple[str, str], list[str]]:
        return {(rs.name, rs.type): list(rs.records)
                for rs in dns.list_recordsets(ADMIN) if rs.managed_resource_type == "port"
                and rs.action != "DELETE"}

    def test_port_records_follow_the_port(self) -> None:
        port = self.port(self.net, "web", "10.0.1.5")
        serial = dns.get_zone(ADMIN, self.zone.id).serial
        changed = dns_network.sync_managed(ADMIN, "port", port)
        self.assertEqual(sorted([self.zone.id, self.reverse.id]), changed)
        self.assertEqual({("web.example.org.", "A"): ["10.0.1.5"],
                          ("5.1.0.10.in-addr.arpa.", "PTR"): ["web.example.org."]},
                         self.managed())
        self.assertGreater(dns.get_zone(ADMIN, self.zone.id).serial, serial)
        rs, = dns.list_recordsets(ADMIN, self.zone.id, filters={"name": "web.example.org."})
        self.assertEqual((True, "port", port, "PENDING", "CREATE"),
                         (rs.managed, rs.managed_resource_type, rs.managed_resource_id,
                          rs.status, rs.action))
        self.assertEqual([], dns_network.sync_managed(ADMIN, "port", port))  # nothing to do

        self.update_port(port, dns_name="www")
        dns_network.sync_managed(ADMIN, "port", port)
        self.assertEqual({("www.example.org.", "A"): ["10.0.1.5"],
                          ("5.1.0.10.in-addr.arpa.", "PTR"): ["www.example.org."]},
                         self.managed())

        self.delete_port(port)
        dns_network.sync_managed(ADMIN, "port", port)
        self.assertEqual({}, self.managed())
        for zone in (self.zone, self.reverse):
            dns_sync.zones_synced(ADMIN, [{"zone_id": zone.id, "ok": True,
                                           "serial": dns.get_zone(ADMIN, zone.id).serial}])
        self.assertEqual([], [rs for rs in dns.list_recordsets(ADMIN) if rs.managed_resource_id])

    def test_no_zone_no_records_and_user_records_win(self) -> None:
        other = self.network("elsewhere.net.")
        port_id = self.port(other, "x", "10.0.9.7")
        self.assertEqual([], dns_network.sync_managed(ADMIN, "port", port_id))
        dns.create_recordset(ADMIN, self.zone.id, "taken.example.org.", "CNAME",
                             ["www.example.org."])
        dns_network.sync_managed(ADMIN, "port", self.port(self.net, "taken", "10.0.1.8"))
        self.assertNotIn(("taken.example.org.", "A"), self.managed())

    def test_sync_all_repairs_every_port(self) -> None:
        ports = [self.port(self.net, f"vm{i}", f"10.0.1.{10 + i}") for i in range(3)]
        changed = dns_network.sync_all_managed(ADMIN)
        self.assertEqual(sorted([self.zone.id, self.reverse.id]), changed)
        self.assertEqual(6, len(self.managed()))
        rs, = dns.list_recordsets(ADMIN, self.zone.id, filters={"name": "vm0.example.org."})
        dns.delete_recordset(ADMIN, self.zone.id, rs.id, edit_managed=True)  # an admin's mistake
        self.delete_port(ports[2])
        dns_network.sync_all_managed(ADMIN)
        self.assertEqual({("vm0.example.org.", "A"): ["10.0.1.10"],
                          ("vm1.example.org.", "A"): ["10.0.1.11"],
                          ("10.1.0.10.in-addr.arpa.", "PTR"): ["vm0.example.org."],
                          ("11.1.0.10.in-addr.arpa.", "PTR"): ["vm1.example.org."]},
                         self.managed())
        self.assertEqual([], dns_network.sync_all_managed(ADMIN))

    def test_floating_ip_ptr_follows_its_port(self) -> None:
        dns.create_zone(ADMIN, "p1", "4.24.172.in-addr.arpa.", email="admin@example.org")
        ext = self.network(external=True)
        port = self.port(self.net, "web", "10.0.1.5")
        fip_port = self.port(ext, "", "172.24.4.100")
        fip_id = str(uuid.uuid4())
        with session.transaction() as s:
            s.add(models.FloatingIP(id=fip_id, project_id="p1", floating_network_id=ext,
                                    floating_port_id=fip_port,
                                    floating_ip_address="172.24.4.100"))
        self.assertEqual([], dns_network.sync_managed(ADMIN, "floatingip", fip_id))
        with session.transaction() as s:
            s.execute(sa.update(models.FloatingIP).filter_by(id=fip_id).values(
                fixed_port_id=port, fixed_ip_address="10.0.1.5"))
        dns_network.sync_managed(ADMIN, "floatingip", fip_id)
        rs, = [rs for rs in dns.list_recordsets(ADMIN) if rs.managed_resource_id == fip_id]
        self.assertEqual(("100.4.24.172.in-addr.arpa.", "PTR", ["web.example.org."]),
                         (rs.name, rs.type, list(rs.records)))
        with self.assertRaises(ValueError):
            dns_network.sync_managed(ADMIN, "server", fip_id)


class InternalNamesTest(NetworkRowsMixin, base.DatabaseTestCase):
    def test_internal_name_lifecycle(self) -> None:
        row = dns_internal.create_internal_name(ADMIN, "Universe.Local.", ["10.0.0.5"])
        self.assertEqual(("universe.local.", None, ["10.0.0.5"]),
                         (row.name, row.network_id, row.addresses))
        with self.assertRaises(exceptions.DuplicateInternalName):
            dns_internal.create_internal_name(ADMIN, "universe.local.", ["10.0.0.6"])
        scoped = dns_internal.create_internal_name(ADMIN, "universe.local.", ["10.0.0.6"], "net-1")
        self.assertEqual(2, len(dns_internal.list_internal_names(ADMIN, "net-1")))
        self.assertEqual(1, len(dns_internal.list_internal_names(ADMIN, "net-2")))
        updated = dns_internal.update_internal_name(ADMIN, scoped.id, {"addresses": ["fd00::6"]})
        self.assertEqual(["fd00::6"], updated.addresses)
        self.assertEqual("net-1", dns_internal.delete_internal_name(ADMIN, scoped.id).network_id)
        with self.assertRaises(exceptions.InternalNameNotFound):
            dns_internal.get_internal_name(ADMIN, scoped.id)
        for name, addresses in (("*.local.", ["10.0.0.1"]), ("nodot", ["10.0.0.1"]),
                                ("ok.local.", []), ("ok.local.", ["10.0.0.300"])):
            with self.subTest(name=name), self.assertRaises(exceptions.InvalidObject):
                dns_internal.create_internal_name(ADMIN, name, addresses)

    def test_network_records_for_ovn(self) -> None:
        net = self.network("example.org.")
        bare = self.network()
        self.network(external=True)
        self.port(net, "web", "10.0.1.5")
        self.port(net, "", "10.0.1.6")  # no dns_name: no names
        self.port(bare, "db", "10.0.1.7")
        dns_internal.create_internal_name(ADMIN, "universe.local.", ["10.0.0.5", "fd00::5"])
        dns_internal.create_internal_name(ADMIN, "only.here.", ["10.0.0.9"], network_id=net)
        records = {n["id"]: n["records"] for n in dns_network.network_records(ADMIN)}
        self.assertEqual({net, bare}, set(records))
        self.assertEqual({"web": "10.0.1.5", "web.example.org": "10.0.1.5",
                          "5.1.0.10.in-addr.arpa": "web.example.org",
                          "universe.local": "10.0.0.5 fd00::5", "only.here": "10.0.0.9"},
                         records[net])
        self.assertEqual({"db": "10.0.1.7", "db.openstacklocal": "10.0.1.7",
                          "7.1.0.10.in-addr.arpa": "db.openstacklocal",
                          "universe.local": "10.0.0.5 fd00::5"}, records[bare])
        self.assertEqual([bare], [n["id"] for n in dns_network.network_records(ADMIN, [bare])])
        self.assertEqual([], dns_network.network_records(ADMIN, ["gone"]))

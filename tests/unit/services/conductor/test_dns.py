"""The conductor's "dns" endpoint, reached by the dns agent's client over fake://."""
from common import context
from common.db.api import dns
from common.service import Service
from services.conductor import manager
from services.conductor.rpcapi import DNSConductorAPI
from tests.unit import base
from tests.unit.base.network import ADMIN


class DNSEndpointTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        service = Service("strato-conductor", "conductor", manager.ConductorManager("unit-host"),
                          lambda *args: None)
        service.start()
        self.addCleanup(service.stop)
        self.api = DNSConductorAPI()
        self.ctxt = context.get_admin_context()

    def test_the_agent_reads_zones_reports_and_purges(self) -> None:
        zone = dns.create_zone(ADMIN, "p1", "example.org.", email="admin@example.org")
        snapshot, = self.api.get_zones(self.ctxt, [zone.id])
        self.assertEqual(("example.org.", zone.serial), (snapshot["name"], snapshot["serial"]))
        self.api.zones_synced(self.ctxt, [{"zone_id": zone.id, "serial": zone.serial,
                                           "ok": True}])
        self.assertEqual("ACTIVE", dns.get_zone(ADMIN, zone.id).status)
        dns.delete_zone(ADMIN, zone.id)
        self.api.purge_zone(self.ctxt, zone.id)
        self.assertEqual([], self.api.get_zones(self.ctxt))

    def test_networks_and_managed_records(self) -> None:
        self.assertEqual([], self.api.get_networks(self.ctxt))
        self.assertEqual([], self.api.sync_managed(self.ctxt, "port", "no-such-port"))
        self.assertEqual([], self.api.sync_all_managed(self.ctxt))

"""PTRs of floating IPs through /dns/v2/reverse/floatingips."""
import uuid

from common.db import models, session
from tests.unit.base import dns_api as base
from tests.unit.base.dns import NetworkRowsMixin


class ReverseTest(NetworkRowsMixin, base.DNSAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.reverse_zone = self.zone("4.24.172.in-addr.arpa.")
        external = self.network(external=True)
        self.fip_id = str(uuid.uuid4())
        with session.transaction() as s:
            s.add(models.FloatingIP(id=self.fip_id, project_id=self.reverse_zone["project_id"],
                                    floating_network_id=external,
                                    floating_port_id=self.port(external, "", "172.24.4.100"),
                                    floating_ip_address="172.24.4.100"))
        self.path = f"/reverse/floatingips/RegionOne:{self.fip_id}"

    def test_set_show_list_unset(self) -> None:
        unset = self.call("GET", self.path, 200).json
        self.assertEqual((f"RegionOne:{self.fip_id}", "172.24.4.100", None),
                         (unset["id"], unset["address"], unset["ptrdname"]))
        ptr = self.call("PATCH", self.path, 202, {"ptrdname": "smtp.example.com.",
                                                  "ttl": 600, "description": "mail"}).json
        self.assertEqual(("smtp.example.com.", 600, "PENDING", "CREATE"),
                         (ptr["ptrdname"], ptr["ttl"], ptr["status"], ptr["action"]))
        self.assertEqual([("sync_zone", self.reverse_zone["id"])], self.casts[1:])
        records = self.call("GET", f"/zones/{self.reverse_zone['id']}/recordsets?type=PTR",
                            200).json["recordsets"]
        self.assertEqual([("100.4.24.172.in-addr.arpa.", ["smtp.example.com."])],
                         [(r["name"], r["records"]) for r in records])
        listed = self.call("GET", "/reverse/floatingips", 200).json["floatingips"]
        self.assertEqual(["smtp.example.com."], [p["ptrdname"] for p in listed])
        self.assertEqual([], self.call("GET", "/reverse/floatingips", 200,
                                       headers=self.admin).json["floatingips"])
        self.call("GET", self.path, 404, headers=self.admin)
        gone = self.call("PATCH", self.path, 202, {"ptrdname": None}).json
        self.assertIsNone(gone["ptrdname"])
        self.call("GET", f"/reverse/floatingips/OtherRegion:{self.fip_id}", 404)
        self.assert_error(self.call("PATCH", self.path, 400, {"ptrdname": "no-dot"}), 400,
                          "invalid_object")

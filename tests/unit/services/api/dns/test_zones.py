"""/dns/v2/zones through the API: shapes, lists, scoping headers, errors, casts."""
import uuid

from common.db.api import dns_sync
from tests.unit.base import dns_api as base
from tests.unit.base.network import ADMIN

ZONE_FIELDS = {"id", "pool_id", "project_id", "name", "email", "ttl", "serial", "status",
               "action", "description", "masters", "type", "transferred_at", "version",
               "created_at", "updated_at", "attributes", "links", "shared"}


class ZonesTest(base.DNSAPITestCase):
    def test_create_is_a_pending_bare_zone_and_one_cast(self) -> None:
        zone = self.zone(ttl=0, description="d", attributes={"tier": "gold"})
        self.assertEqual(ZONE_FIELDS, set(zone))
        self.assertEqual(("PENDING", "CREATE", "PRIMARY", [], {"tier": "gold"}, 0),
                         (zone["status"], zone["action"], zone["type"], zone["masters"],
                          zone["attributes"], zone["ttl"]))
        self.assertEqual(f"http://api.test/dns/v2/zones/{zone['id']}", zone["links"]["self"])
        self.assertEqual([("sync_zone", zone["id"])], self.casts)
        shown = self.call("GET", f"/zones/{zone['id']}", 200).json
        self.assertEqual(zone["serial"], shown["serial"])

    def test_secondary_and_forward_zones_carry_masters(self) -> None:
        secondary = self.call("POST", "/zones", 202, {"name": "sec.org.", "type": "SECONDARY",
                                                      "masters": ["192.0.2.1"]}).json
        self.assertEqual((["192.0.2.1:53"], "hostmaster@sec.org"),
                         (secondary["masters"], secondary["email"]))
        forward = self.call("POST", "/zones", 202, {"name": "cluster.local.", "type": "FORWARD",
                                                    "masters": ["127.0.0.1:5399"]}).json
        self.assertEqual("FORWARD", forward["type"])

    def test_list_links_metadata_filters_paging_and_sorting(self) -> None:
        ids = [self.zone(f"z{i}.org.")["id"] for i in range(3)]
        body = self.call("GET", "/zones", 200).json
        self.assertEqual((3, sorted(ids)), (body["metadata"]["total_count"],
                                            [z["id"] for z in body["zones"]]))
        self.assertEqual({"self"}, set(body["links"]))  # no "next": the last page
        first = self.call("GET", "/zones?limit=2", 200).json
        self.assertIn("marker=", first["links"]["next"])
        rest = self.call("GET", f"/zones?limit=2&marker={first['zones'][-1]['id']}", 200).json
        self.assertEqual(sorted(ids)[2:], [z["id"] for z in rest["zones"]])
        self.assertEqual(["z2.org.", "z1.org.", "z0.org."], [z["name"] for z in self.call(
            "GET", "/zones?sort_key=name&sort_dir=desc", 200).json["zones"]])
        named = self.call("GET", "/zones?name=Z1.ORG.", 200).json
        self.assertEqual((1, "z1.org."), (named["metadata"]["total_count"],
                                          named["zones"][0]["name"]))
        self.assert_error(self.call("GET", "/zones?sort_key=masters", 400), 400,
                          "invalid_sort_key")
        self.assert_error(self.call("GET", "/zones?sort_dir=up", 400), 400, "invalid_sort_dir")
        self.assert_error(self.call("GET", "/zones?limit=x", 400), 400, "invalid_limit")

    def test_update_and_delete_are_accepted_and_cast(self) -> None:
        zone = self.zone()
        dns_sync.zones_synced(ADMIN, [{"zone_id": zone["id"], "serial": zone["serial"],
                                       "ok": True}])
        self.assertEqual("ACTIVE", self.call("GET", f"/zones/{zone['id']}", 200).json["status"])
        updated = self.call("PATCH", f"/zones/{zone['id']}", 202,
                            {"email": "dns@example.org", "ttl": 600, "description": "x"}).json
        self.assertEqual(("PENDING", "UPDATE", "dns@example.org", 600),
                         (updated["status"], updated["action"], updated["email"],
                          updated["ttl"]))
        self.assertGreater(updated["serial"], zone["serial"])
        deleted = self.call("DELETE", f"/zones/{zone['id']}", 202).json
        self.assertEqual(("PENDING", "DELETE"), (deleted["status"], deleted["action"]))
        self.assertEqual(3, len([c for c in self.casts if c == ("sync_zone", zone["id"])]))

    def test_validation_errors_change_nothing(self) -> None:
        for body in ({"name": "ggg"}, {"name": "a" * 300 + "."}, {"name": "x.org.", "ttl": -1},
                     {"name": "x.org.", "email": "nope"}, {"name": "x.org.", "bogus": 1},
                     {"name": "x.org.", "description": "d" * 161}):
            with self.subTest(body=body):
                self.assert_error(self.call("POST", "/zones", 400, body), 400,
                                  "invalid_object")
        self.assert_error(self.call("POST", "/zones", 400, ["x.org."]), 400, "bad_request")
        zone = self.zone()
        self.assert_error(self.call("PATCH", f"/zones/{zone['id']}", 400, {"name": "y.org."}),
                          400, "invalid_object")
        self.assertEqual(1, self.call("GET", "/zones", 200).json["metadata"]["total_count"])
        self.assertEqual([("sync_zone", zone["id"])], self.casts)

    def test_duplicate_quota_and_not_found(self) -> None:
        self.zone()
        self.assert_error(self.call("POST", "/zones", 409, {"name": "example.org.",
                                                            "email": "a@example.org"},
                                    self.admin), 409, "duplicate_zone")
        self.flags("dns", quota_zones=1)
        self.assert_error(self.call("POST", "/zones", 413, {"name": "two.org.",
                                                            "email": "a@two.org"}),
                          413, "over_quota")
        missing = str(uuid.uuid4())
        self.assert_error(self.call("GET", f"/zones/{missing}", 404), 404, "zone_not_found")
        self.assert_error(self.call("GET", "/zones/zzz", 400), 400, "invalid_uuid")
        self.assertEqual("Invalid UUID zone_id: zzz",
                         self.call("DELETE", "/zones/zzz", 400).json["message"])

    def test_projects_only_see_their_own_unless_an_admin_says_otherwise(self) -> None:
        zone = self.zone()
        self.call("GET", f"/zones/{zone['id']}", 404, headers=self.admin)
        self.assertEqual(0, self.call("GET", "/zones", 200, headers=self.admin)
                         .json["metadata"]["total_count"])
        every = {**self.admin, "X-Auth-All-Projects": "True"}
        self.assertEqual([zone["id"]], [z["id"] for z in self.call(
            "GET", "/zones", 200, headers=every).json["zones"]])
        sudo = {**self.admin, "X-Auth-Sudo-Project-ID": zone["project_id"]}
        self.call("GET", f"/zones/{zone['id']}", 200, headers=sudo)
        made = self.zone("for-demo.org.", headers=sudo)
        self.assertEqual(zone["project_id"], made["project_id"])
        for header in ({"X-Auth-All-Projects": "true"},
                       {"X-Auth-Sudo-Project-ID": made["project_id"]}):
            resp = self.call("GET", f"/zones/{zone['id']}", 403, headers={**self.demo, **header})
            self.assert_error(resp, 403, "forbidden")

    def test_nameservers_and_the_pool(self) -> None:
        self.flags("dns", nameservers=["ns1.strato.test.", "ns2.strato.test."])
        zone = self.zone()
        nameservers = self.call("GET", f"/zones/{zone['id']}/nameservers", 200).json
        expected = [{"hostname": "ns1.strato.test.", "priority": 1},
                    {"hostname": "ns2.strato.test.", "priority": 2}]
        self.assertEqual({"nameservers": expected}, nameservers)
        pool = self.call("GET", f"/pools/{zone['pool_id']}", 200, headers=self.admin).json
        self.assertEqual(expected, pool["ns_records"])
        self.call("GET", f"/pools/{zone['pool_id']}", 403)
        self.assertEqual(1, len(self.call("GET", "/pools", 200, headers=self.admin)
                                .json["pools"]))

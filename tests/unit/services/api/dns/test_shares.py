"""/dns/v2/zones/{id}/shares through the API: shapes, what owner and target may do with a
shared zone, deleting a shared zone, errors; demo owns the zones, project admin is the
target."""
import uuid

from tests.unit.base import dns_api as base

SHARE_FIELDS = {"id", "zone_id", "project_id", "target_project_id", "created_at",
                "updated_at", "links"}


class SharesTest(base.DNSAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin_project = self.zone("admin-own.org.", headers=self.admin)["project_id"]
        self.owned = self.zone()
        self.shares = f"/zones/{self.owned['id']}/shares"

    def share(self, target: str | None = None, headers: dict | None = None) -> dict:
        return self.call("POST", self.shares, 201,
                         {"target_project_id": target or self.admin_project}, headers).json

    def test_create_show_list_and_delete(self) -> None:
        share = self.share()
        self.assertEqual(SHARE_FIELDS, set(share))
        self.assertEqual((self.owned["id"], self.owned["project_id"], self.admin_project, None),
                         (share["zone_id"], share["project_id"], share["target_project_id"],
                          share["updated_at"]))
        self.assertEqual(f"http://api.test/dns/v2{self.shares}/{share['id']}",
                         share["links"]["self"])
        self.assertEqual(share, self.call("GET", f"{self.shares}/{share['id']}", 200).json)
        self.assertTrue(self.call("GET", f"/zones/{self.owned['id']}", 200).json["shared"])
        other = self.share("another-project")
        listed = self.call("GET", self.shares, 200).json
        self.assertEqual((2, {"self"}), (listed["metadata"]["total_count"],
                                         set(listed["links"])))
        self.assertEqual({share["id"], other["id"]}, {s["id"] for s in listed["shared_zones"]})
        filtered = self.call("GET", f"{self.shares}?target_project_id=another-project", 200)
        self.assertEqual([other["id"]], [s["id"] for s in filtered.json["shared_zones"]])
        paged = self.call("GET", f"{self.shares}?limit=1", 200).json
        self.assertIn("marker=", paged["links"]["next"])
        self.call("DELETE", f"{self.shares}/{share['id']}", 204)
        self.assert_error(self.call("GET", f"{self.shares}/{share['id']}", 404), 404,
                          "shared_zone_not_found")
        self.assertTrue(self.call("GET", f"/zones/{self.owned['id']}", 200).json["shared"])
        self.call("DELETE", f"{self.shares}/{other['id']}", 204)
        self.assertFalse(self.call("GET", f"/zones/{self.owned['id']}", 200).json["shared"])
        self.assertEqual(2, len(self.casts))  # the zones' creation: shares change no DNS data

    def test_the_target_sees_the_zone_and_manages_only_its_own_recordsets(self) -> None:
        zone_url = f"/zones/{self.owned['id']}"
        self.call("GET", zone_url, 404, headers=self.admin)
        owners = self.recordset(self.owned["id"], "www.example.org.")
        share = self.share()
        shown = self.call("GET", zone_url, 200, headers=self.admin).json
        self.assertEqual((True, self.owned["project_id"]), (shown["shared"],
                                                            shown["project_id"]))
        self.assertIn(self.owned["id"], [z["id"] for z in self.call(
            "GET", "/zones", 200, headers=self.admin).json["zones"]])
        for method, path, body in (("PATCH", zone_url, {"ttl": 5}), ("DELETE", zone_url, None),
                                   ("POST", f"{zone_url}/shares",
                                    {"target_project_id": "another-project"}),
                                   ("DELETE", f"{zone_url}/shares/{share['id']}", None)):
            with self.subTest(method=method, path=path):
                self.assert_error(self.call(method, path, 403, body, self.admin), 403,
                                  "forbidden")
        self.assert_error(self.call("POST", "/zones", 403, {"name": "sub.example.org.",
                                                            "email": "a@example.org"},
                                    self.admin), 403, "forbidden")
        theirs = self.call("POST", f"{zone_url}/recordsets", 202,
                           {"name": "api.example.org.", "type": "A",
                            "records": ["192.0.2.9"]}, self.admin).json
        self.assertEqual(self.admin_project, theirs["project_id"])
        seen_by = {who: {r["name"] for r in self.call("GET", f"{zone_url}/recordsets", 200,
                                                       headers=headers).json["recordsets"]}
                   for who, headers in (("owner", self.demo), ("target", self.admin))}
        self.assertEqual(seen_by["owner"], seen_by["target"])
        self.assertLessEqual({"www.example.org.", "api.example.org."}, seen_by["owner"])
        self.call("GET", f"{zone_url}/recordsets/{owners['id']}", 200, headers=self.admin)
        self.assertIn("api.example.org.", {r["name"] for r in self.call(
            "GET", "/recordsets", 200).json["recordsets"]})
        self.assert_error(self.call("PUT", f"{zone_url}/recordsets/{owners['id']}", 403,
                                    {"ttl": 60}, self.admin), 403, "forbidden")
        self.call("PUT", f"{zone_url}/recordsets/{theirs['id']}", 202, {"ttl": 60},
                  self.admin)
        self.call("PUT", f"{zone_url}/recordsets/{theirs['id']}", 202, {"ttl": 70})
        self.assertEqual([share["id"]], [s["id"] for s in self.call(
            "GET", f"{zone_url}/shares", 200, headers=self.admin).json["shared_zones"]])
        self.assert_error(self.call("DELETE", f"{zone_url}/shares/{share['id']}", 400), 400,
                          "bad_request")
        self.call("DELETE", f"{zone_url}/recordsets/{theirs['id']}", 202, headers=self.admin)
        self.call("DELETE", f"{zone_url}/shares/{share['id']}", 204)
        self.call("GET", zone_url, 404, headers=self.admin)
        self.call("GET", f"{zone_url}/recordsets/{owners['id']}", 404, headers=self.admin)

    def test_a_shared_zone_is_deleted_only_with_its_shares(self) -> None:
        share = self.share()
        zone_url = f"/zones/{self.owned['id']}"
        self.assert_error(self.call("DELETE", zone_url, 400), 400, "bad_request")
        self.call("GET", f"{self.shares}/{share['id']}", 200)
        deleted = self.call("DELETE", zone_url, 202,
                            headers={**self.demo, "X-Designate-Delete-Shares": "true"}).json
        self.assertEqual(("PENDING", "DELETE", False), (deleted["status"], deleted["action"],
                                                        deleted["shared"]))
        self.call("GET", f"{self.shares}/{share['id']}", 404)

    def test_bad_requests_change_nothing(self) -> None:
        self.assert_error(self.call("POST", self.shares, 400,
                                    {"target_project_id": self.owned["project_id"]}),
                          400, "bad_request")
        for body in ({}, {"target_project_id": ""}, {"target_project_id": 5},
                     {"target_project_id": "p", "bogus": 1}):
            with self.subTest(body=body):
                self.assert_error(self.call("POST", self.shares, 400, body), 400,
                                  "invalid_object")
        self.share()
        self.assert_error(self.call("POST", self.shares, 409,
                                    {"target_project_id": self.admin_project}),
                          409, "duplicate_shared_zone")
        missing = str(uuid.uuid4())
        for method, path in (("POST", f"/zones/{missing}/shares"),
                             ("GET", f"/zones/{missing}/shares"),
                             ("GET", f"{self.shares}/{missing}"),
                             ("DELETE", f"{self.shares}/{missing}")):
            with self.subTest(method=method, path=path):
                self.assertEqual(404, self.call(method, path, 404, {
                    "target_project_id": "x"} if method == "POST" else None).json["code"])
        self.assert_error(self.call("GET", "/zones/zzz/shares", 400), 400, "invalid_uuid")
        self.assert_error(self.call("GET", f"{self.shares}?sort_key=zone_id", 400), 400,
                          "invalid_sort_key")
        self.assertEqual(1, self.call("GET", self.shares, 200).json["metadata"]["total_count"])

    def test_other_projects_see_nothing_and_admins_act_for_any(self) -> None:
        share = self.share("another-project")
        for path in (self.shares, f"{self.shares}/{share['id']}"):
            self.assert_error(self.call("GET", path, 404, headers=self.admin), 404,
                              "zone_not_found")
        every = {**self.admin, "X-Auth-All-Projects": "true"}
        made = self.share(headers=every)
        self.assertEqual(self.admin_project, made["project_id"])
        self.assertEqual(2, self.call("GET", self.shares, 200, headers=every)
                         .json["metadata"]["total_count"])
        sudo = {**self.admin, "X-Auth-Sudo-Project-ID": self.owned["project_id"]}
        self.call("DELETE", f"{self.shares}/{made['id']}", 204, headers=sudo)
        self.call("DELETE", f"{self.shares}/{share['id']}", 204, headers=every)

"""TLDs, quotas and internal names through the API: admin only, Designate's errors."""
import uuid

from tests.unit.base import dns_api as base


class TldsTest(base.DNSAPITestCase):
    def test_crud_and_errors(self) -> None:
        tld = self.call("POST", "/tlds", 201, {"name": "org", "description": "d"},
                        self.admin).json
        self.assertEqual(("org", "d"), (tld["name"], tld["description"]))
        self.call("POST", "/tlds", 409, {"name": "org"}, self.admin)
        for name in ("   ", "fff.", "^&$", "t" * 1000, "@p%"):
            with self.subTest(name=name):
                self.call("POST", "/tlds", 400, {"name": name}, self.admin)
        self.call("POST", "/tlds", 403, {"name": "net"})
        self.call("GET", f"/tlds/{tld['id']}", 403)
        patched = self.call("PATCH", f"/tlds/{tld['id']}", 200, {"name": "net"},
                            self.admin).json
        self.assertEqual("net", patched["name"])
        # TLDs defined: zones must sit under one.
        self.assert_error(self.call("POST", "/zones", 400, {"name": "example.org.",
                                                            "email": "a@example.org"}),
                          400, "invalid_zone_name")
        self.zone("example.net.")
        listed = self.call("GET", "/tlds", 200, headers=self.admin).json
        self.assertEqual((1, ["net"]), (listed["metadata"]["total_count"],
                                        [t["name"] for t in listed["tlds"]]))
        self.call("DELETE", f"/tlds/{tld['id']}", 204, headers=self.admin)
        missing = self.call("GET", f"/tlds/{uuid.uuid4()}", 404, headers=self.admin).json
        self.assertEqual(("tld_not_found", "Could not find Tld"),
                         (missing["type"], missing["message"]))
        invalid = self.call("PATCH", "/tlds/foo", 400, {"name": "x"}, self.admin).json
        self.assertEqual(("invalid_uuid", "Invalid UUID tld_id: foo"),
                         (invalid["type"], invalid["message"]))


class QuotasTest(base.DNSAPITestCase):
    def test_read_set_reset(self) -> None:
        own = self.call("GET", "/quotas", 200).json
        self.assertEqual({"zones", "zone_recordsets", "zone_records", "recordset_records",
                          "api_export_size"}, set(own))
        demo_project = self.zone()["project_id"]
        self.assertEqual(own, self.call("GET", f"/quotas/{demo_project}", 200).json)
        self.call("GET", f"/quotas/{uuid.uuid4().hex}", 403)
        self.call("PATCH", f"/quotas/{demo_project}", 403, {"zones": 5})
        body = self.call("PATCH", f"/quotas/{demo_project}", 200, {"zones": 1},
                         self.admin).json
        self.assertEqual(1, body["zones"])
        self.assert_error(self.call("POST", "/zones", 413, {"name": "two.org.",
                                                            "email": "a@two.org"}),
                          413, "over_quota")
        self.assert_error(self.call("PATCH", f"/quotas/{demo_project}", 400, {"bogus": 1},
                                    self.admin), 400, "invalid_object")
        self.call("DELETE", f"/quotas/{demo_project}", 204, headers=self.admin)
        self.assertEqual(own, self.call("GET", "/quotas", 200).json)


class InternalNamesTest(base.DNSAPITestCase):
    def test_crud_casts_sync_network(self) -> None:
        path = "/strato/internal_names"
        self.call("POST", path, 403, {"name": "universe.local.", "addresses": ["10.0.0.5"]})
        row = self.call("POST", path, 201, {"name": "Universe.Local.",
                                            "addresses": ["10.0.0.5"]}, self.admin).json
        self.assertEqual(("universe.local.", None), (row["name"], row["network_id"]))
        self.call("POST", path, 409, {"name": "universe.local.", "addresses": ["10.0.0.6"]},
                  self.admin)
        patched = self.call("PATCH", f"{path}/{row['id']}", 200, {"addresses": ["10.0.0.7"]},
                            self.admin).json
        self.assertEqual(["10.0.0.7"], patched["addresses"])
        self.assertEqual(1, self.call("GET", path, 200, headers=self.admin)
                         .json["metadata"]["total_count"])
        self.call("DELETE", f"{path}/{row['id']}", 204, headers=self.admin)
        self.call("GET", f"{path}/{row['id']}", 404, headers=self.admin)
        self.assertEqual([("sync_network", None)] * 3, self.casts)

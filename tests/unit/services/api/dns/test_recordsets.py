"""Recordsets through the API: per zone and across zones, managed ones, deletion."""
import uuid

from tests.unit.base import dns_api as base

RECORDSET_FIELDS = {"id", "zone_id", "project_id", "name", "zone_name", "type", "records",
                    "ttl", "status", "action", "description", "version", "created_at",
                    "updated_at", "links"}


class RecordsetsTest(base.DNSAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.z = self.zone()
        self.rs_path = f"/zones/{self.z['id']}/recordsets"

    def managed(self, rtype: str) -> dict:
        return self.call("GET", f"{self.rs_path}?type={rtype}", 200).json["recordsets"][0]

    def test_lifecycle(self) -> None:
        rs = self.recordset(self.z["id"], "www.example.org.", records=["192.0.2.1"],
                            ttl=300, description="web")
        self.assertEqual(RECORDSET_FIELDS, set(rs))
        self.assertEqual(("www.example.org.", "example.org.", ["192.0.2.1"], "PENDING",
                          "CREATE"), (rs["name"], rs["zone_name"], rs["records"],
                                      rs["status"], rs["action"]))
        listed = self.call("GET", self.rs_path, 200).json
        self.assertEqual({"A", "NS", "SOA"}, {r["type"] for r in listed["recordsets"]})
        self.assertEqual(3, listed["metadata"]["total_count"])
        self.call("GET", f"{self.rs_path}/{rs['id']}", 200)
        # PUT carries the recordset; unchanged name and type may come along.
        updated = self.call("PUT", f"{self.rs_path}/{rs['id']}", 202,
                            {"name": rs["name"], "type": "A", "ttl": 600,
                             "records": ["192.0.2.2", "192.0.2.3"]}).json
        self.assertEqual((["192.0.2.2", "192.0.2.3"], 600, "web"),
                         (updated["records"], updated["ttl"], updated["description"]))
        renamed = self.call("PUT", f"{self.rs_path}/{rs['id']}", 400,
                            {"name": "other.example.org.", "records": ["192.0.2.9"]})
        self.assert_error(renamed, 400, "invalid_object")
        deleted = self.call("DELETE", f"{self.rs_path}/{rs['id']}", 202).json
        self.assertEqual(("PENDING", "DELETE"), (deleted["status"], deleted["action"]))
        # Gone as far as the API shows, at once.
        self.assert_error(self.call("GET", f"{self.rs_path}/{rs['id']}", 404), 404,
                          "recordset_not_found")
        self.call("DELETE", f"{self.rs_path}/{rs['id']}", 404)
        self.assertEqual(2, self.call("GET", self.rs_path, 200).json["metadata"]["total_count"])
        self.assertEqual(4, len([c for c in self.casts if c == ("sync_zone", self.z["id"])]))

    def test_validation(self) -> None:
        cases = [({"name": "www.example.org.", "type": "A", "records": ["192.0.2.1"],
                   "data": "b0rk"}, "invalid_object"),
                 ({"name": "www", "type": "A", "records": ["192.0.2.1"]}, "invalid_object"),
                 ({"name": "www.example.org.", "type": "A", "records": ["b0rk"]},
                  "invalid_object"),
                 ({"name": "www.other.org.", "type": "A", "records": ["192.0.2.1"]},
                  "invalid_recordset_location"),
                 ({"name": "*.example.org.", "type": "NS", "records": ["ns.example.org."]},
                  "invalid_object"),
                 ({"name": "example.org.", "type": "SOA", "records": ["x"]}, "bad_request")]
        for body, error_type in cases:
            with self.subTest(body=body):
                self.assert_error(self.call("POST", self.rs_path, 400, body), 400, error_type)
        self.recordset(self.z["id"], "www.example.org.")
        self.assert_error(self.call("POST", self.rs_path, 409, {
            "name": "www.example.org.", "type": "A", "records": ["192.0.2.5"]}), 409,
            "duplicate_recordset")
        self.assert_error(self.call("GET", f"{self.rs_path}/{uuid.uuid4()}", 404), 404,
                          "recordset_not_found")
        self.assert_error(self.call("GET", f"{self.rs_path}/invalid", 400), 400,
                          "invalid_uuid")

    def test_soa_and_ns_are_managed(self) -> None:
        soa, ns = self.managed("SOA"), self.managed("NS")
        self.assert_error(self.call("PUT", f"{self.rs_path}/{soa['id']}", 400,
                                    {"ttl": 60}), 400, "bad_request")
        self.assert_error(self.call("DELETE", f"{self.rs_path}/{ns['id']}", 400), 400,
                          "bad_request")
        edit = {"X-Designate-Edit-Managed-Records": "true"}
        self.call("DELETE", f"{self.rs_path}/{ns['id']}", 403, headers={**self.demo, **edit})
        sudo_edit = {**self.admin, **edit, "X-Auth-All-Projects": "true"}
        self.call("PUT", f"{self.rs_path}/{soa['id']}", 400, {"ttl": 60}, headers=sudo_edit)
        self.call("PUT", f"{self.rs_path}/{ns['id']}", 202, {"ttl": 60}, headers=sudo_edit)

    def test_across_zones_and_other_projects(self) -> None:
        rs = self.recordset(self.z["id"], "www.example.org.", records=["10.0.1.2"])
        other = self.zone("other.org.", headers=self.admin)
        self.call("POST", f"/zones/{other['id']}/recordsets", 202,
                  {"name": "www.other.org.", "type": "A", "records": ["10.0.1.3"]},
                  headers=self.admin)
        mine = self.call("GET", "/recordsets?data=10.0.*", 200).json["recordsets"]
        self.assertEqual([rs["id"]], [r["id"] for r in mine])
        every = {**self.admin, "X-Auth-All-Projects": "true"}
        self.assertEqual(2, len(self.call("GET", "/recordsets?data=10.0.*", 200,
                                          headers=every).json["recordsets"]))
        moved = self.call("GET", f"/recordsets/{rs['id']}", 301)
        self.assertEqual(f"http://api.test/dns/v2/zones/{self.z['id']}/recordsets/{rs['id']}",
                         moved.headers["location"])
        # Another project's zone is not found, for reads and writes alike.
        self.call("GET", f"{self.rs_path}/{rs['id']}", 404, headers=self.admin)
        self.call("POST", self.rs_path, 404, {"name": "x.example.org.", "type": "A",
                                              "records": ["192.0.2.1"]}, headers=self.admin)

    def test_svcb_https_and_tlsa(self) -> None:
        """API 2.2 and 2.4 record types, as designate-tempest-plugin sends them."""
        https = self.recordset(self.z["id"], "sample.example.org.", "HTTPS",
                               ["1 sample.example.org. alpn=h2 mandatory=alpn"])
        self.assertEqual(["1 sample.example.org. alpn=h2 mandatory=alpn"], https["records"])
        self.recordset(self.z["id"], "example.org.", "SVCB",
                       ["1 s.example.org. alpn=h3,h2 port=888 dohpath=/dns-query{?dns}"])
        tlsa = self.recordset(self.z["id"], "_445._tcp.example.org.", "TLSA",
                              ["3 1 0 AA BB CC DD"])
        self.assertEqual(["3 1 0 AA BB CC DD"], tlsa["records"])  # as submitted
        updated = self.call("PUT", f"{self.rs_path}/{tlsa['id']}", 202,
                            {"records": ["3 1 1 " + "cd" * 32]}).json
        self.assertEqual(["3 1 1 " + "cd" * 32], updated["records"])
        bad = [("HTTPS", "example.org.", "1 sample.example.org. alpn=foo", "invalid_object"),
               ("SVCB", "example.org.", "1 s.example.org. ipv6hint=foo", "invalid_object"),
               ("TLSA", "_8443._tcp.example.org.", "3 1 1 " + "ab" * 16, "invalid_object"),
               ("TLSA", "example.org.", "3 1 1 " + "ab" * 32, "bad_request"),
               ("TLSA", "_65536._tcp.example.org.", "3 1 1 " + "ab" * 32, "bad_request")]
        for rtype, name, record, error_type in bad:
            with self.subTest(rtype=rtype, name=name, record=record):
                self.assert_error(self.call("POST", self.rs_path, 400, {
                    "name": name, "type": rtype, "records": [record]}), 400, error_type)
        self.assert_error(self.call("PUT", f"{self.rs_path}/{tlsa['id']}", 400,
                                    {"records": ["3 1 1 " + "ab" * 16]}), 400, "invalid_object")

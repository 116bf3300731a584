"""/dns/v2/zones/tasks/imports through the API: text/dns and JSON bodies, task shapes,
errors, scoping and the cast of the new zone."""
import uuid

import falcon.testing

from tests.unit.base import dns_api as base

IMPORTS = "/zones/tasks/imports"
TASK_FIELDS = {"id", "status", "message", "zone_id", "project_id", "version", "created_at",
               "updated_at", "links"}
POOL_ID = "794ccc2c-d751-44fe-b57f-8894c9f5c842"


def zone_file(name: str = "example.org.", ttl: str = "300") -> str:
    """As designate-tempest-plugin writes one (data_utils.rand_zonefile_data)."""
    text = ("$ORIGIN &\n& # IN SOA ns.& nsadmin.& # # # # #\n& # IN NS ns.&\n"
            "& # IN MX 10 mail.&\nns.& 360 IN A 1.0.0.1")
    return text.replace("&", name).replace("#", ttl)


class ZoneImportsTest(base.DNSAPITestCase):
    def post(self, text: str | bytes, status: int = 202, content_type: str = "text/dns",
             headers: dict | None = None) -> falcon.testing.Result:
        resp = self.client.simulate_post(
            base.V2 + IMPORTS, body=text.encode() if isinstance(text, str) else text,
            headers={**(headers or self.demo), "Content-Type": content_type})
        self.assertEqual(status, resp.status_code, resp.text)
        return resp

    def test_text_dns_import_makes_the_zone_and_casts_it(self) -> None:
        resp = self.post(zone_file())
        task = resp.json
        self.assertEqual(TASK_FIELDS, set(task))
        self.assertEqual(("COMPLETE", "example.org. imported", 1),
                         (task["status"], task["message"], task["version"]))
        self.assertEqual({"self": f"http://api.test/dns/v2/zones/tasks/imports/{task['id']}",
                          "zone": f"http://api.test/dns/v2/zones/{task['zone_id']}"},
                         task["links"])
        self.assertEqual(task["links"]["self"], resp.headers["location"])
        self.assertEqual([("sync_zone", task["zone_id"])], self.casts)
        zone = self.call("GET", f"/zones/{task['zone_id']}", 200).json
        self.assertEqual(("example.org.", "nsadmin@example.org", 300, "PENDING"),
                         (zone["name"], zone["email"], zone["ttl"], zone["status"]))
        recordsets = self.call("GET", f"/zones/{zone['id']}/recordsets", 200).json
        self.assertEqual({("example.org.", "SOA"), ("example.org.", "NS"),
                          ("example.org.", "MX"), ("ns.example.org.", "A")},
                         {(rs["name"], rs["type"]) for rs in recordsets["recordsets"]})
        self.assertEqual(task, self.call("GET", f"{IMPORTS}/{task['id']}", 200).json)

    def test_json_import_with_attributes(self) -> None:
        task = self.call("POST", IMPORTS, 202, {"zonefile": zone_file(),
                                                "attributes": {"pool_id": POOL_ID}}).json
        self.assertEqual("COMPLETE", task["status"])
        self.assertEqual({"pool_id": POOL_ID},
                         self.call("GET", f"/zones/{task['zone_id']}", 200).json["attributes"])
        task = self.call("POST", IMPORTS, 202, {"zonefile": zone_file("other.org."),
                                                "attributes": {}}).json
        self.assertEqual("COMPLETE", task["status"])

    def test_bad_zone_files_are_accepted_and_end_in_error(self) -> None:
        self.zone("taken.org.")
        self.casts.clear()
        for text in (zone_file(ttl="zahlabut"), zone_file("@@@"), "x" * 100, "",
                     zone_file("taken.org.")):
            with self.subTest(text=text):
                task = self.post(text).json
                self.assertEqual(("ERROR", None), (task["status"], task["zone_id"]))
                self.assertTrue(task["message"])
                self.assertEqual({"self"}, set(task["links"]))
        self.assertEqual([], self.casts)
        self.assertEqual(1, self.call("GET", "/zones", 200).json["metadata"]["total_count"])

    def test_bad_requests_make_no_task(self) -> None:
        self.assert_error(self.post(zone_file(), 415, content_type="Zahlabut"), 415,
                          "unsupported_content_type")
        self.assert_error(self.post("not valid json{{{", 400, content_type="application/json"),
                          400, "bad_request")
        self.assert_error(self.post('{"attributes": {"pool_id": "fake-id"}}', 400,
                                    content_type="application/json"), 400, "invalid_object")
        self.assert_error(self.call("POST", IMPORTS, 404, {
            "zonefile": zone_file(), "attributes": {"pool_id": str(uuid.UUID(int=0))}}),
            404, "not_found")
        self.assert_error(self.post(b"\xff", 400), 400, "bad_request")
        self.assertEqual(0, self.call("GET", IMPORTS, 200).json["metadata"]["total_count"])

    def test_list_show_delete_and_scoping(self) -> None:
        mine = self.post(zone_file()).json
        admins = self.post(zone_file("admin.org."), headers=self.admin).json
        listed = self.call("GET", IMPORTS, 200).json
        self.assertEqual(([mine["id"]], 1, {"self"}),
                         ([t["id"] for t in listed["imports"]],
                          listed["metadata"]["total_count"], set(listed["links"])))
        self.assertEqual(2, self.call("GET", IMPORTS, 200, headers={
            **self.admin, "X-Auth-All-Projects": "true"}).json["metadata"]["total_count"])
        sudo = {**self.admin, "X-Auth-Sudo-Project-ID": mine["project_id"]}
        self.assertEqual([mine["id"]], [t["id"] for t in self.call(
            "GET", IMPORTS, 200, headers=sudo).json["imports"]])
        self.assertEqual([mine["id"]], [t["id"] for t in self.call(
            "GET", f"{IMPORTS}?status=COMPLETE&zone_id={mine['zone_id']}", 200).json["imports"]])
        # Another project's task is not found; override headers are the admin's.
        self.assert_error(self.call("GET", f"{IMPORTS}/{admins['id']}", 404), 404,
                          "zone_import_not_found")
        self.call("GET", f"{IMPORTS}/{mine['id']}", 404, headers=self.admin)
        self.call("GET", IMPORTS, 403, headers={**self.demo, "X-Auth-All-Projects": "true"})
        self.assert_error(self.call("GET", f"{IMPORTS}/nope", 400), 400, "invalid_uuid")
        self.assert_error(self.call("GET", f"{IMPORTS}?sort_key=message", 400), 400,
                          "invalid_sort_key")
        self.call("DELETE", f"{IMPORTS}/{admins['id']}", 404)
        resp = self.call("DELETE", f"{IMPORTS}/{mine['id']}", 204)
        self.assertEqual("", resp.text)
        self.call("GET", f"{IMPORTS}/{mine['id']}", 404)
        self.call("GET", f"/zones/{mine['zone_id']}", 200)  # the zone stays

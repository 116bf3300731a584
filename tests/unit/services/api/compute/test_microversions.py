"""Microversion negotiation of the compute API: headers in, echo and Vary out."""
from services.api.compute import versions
from tests.unit.base import compute_api as base


class MicroversionTest(base.ComputeAPITestCase):
    def get(self, **headers: str) -> object:
        return self.client.simulate_get(base.V21 + "/flavors",
                                        headers={**self.admin, **headers})

    def test_no_header_is_2_1_and_echoed_with_vary(self) -> None:
        resp = self.get()
        self.assertEqual("compute 2.1", resp.headers["OpenStack-API-Version"])
        self.assertEqual("2.1", resp.headers["X-OpenStack-Nova-API-Version"])
        self.assertIn("OpenStack-API-Version", resp.headers["Vary"])
        self.assertNotIn("description", resp.json["flavors"][0])

    def test_both_headers_and_latest(self) -> None:
        self.assertEqual("compute 2.55", self.get(**{
            "OpenStack-API-Version": "compute 2.55"}).headers["OpenStack-API-Version"])
        resp = self.get(**{"X-OpenStack-Nova-API-Version": "2.55"})
        self.assertIn("description", resp.json["flavors"][0])
        latest = self.get(**{"OpenStack-API-Version": "compute latest"})
        self.assertEqual(versions.MAX_VERSION, latest.headers["X-OpenStack-Nova-API-Version"])
        other = self.get(**{"OpenStack-API-Version": "volume 3.5, compute 2.3"})
        self.assertEqual("2.3", other.headers["X-OpenStack-Nova-API-Version"])

    def test_out_of_range_is_406_and_bad_format_400(self) -> None:
        resp = self.get(**{"OpenStack-API-Version": "compute 2.1000"})
        self.assertEqual(406, resp.status_code)
        self.assertIn("maximum is " + versions.MAX_VERSION,
                      resp.json["notAcceptable"]["message"])
        self.assertEqual(400, self.get(**{"OpenStack-API-Version": "compute 2.x"}).status_code)

    def test_discovery_is_public(self) -> None:
        root = self.client.simulate_get("/compute")
        self.assertEqual(versions.MAX_VERSION, root.json["versions"][0]["version"])
        one = self.client.simulate_get("/compute/v2.1")
        self.assertEqual("2.1", one.json["version"]["min_version"])


class Microversions61To68Test(base.ComputeAPITestCase):
    """What 2.61 to 2.68 add beyond the field sets the schema tests check."""

    def test_2_61_flavors_show_their_extra_specs(self) -> None:
        self.request("POST", "/flavors/1/os-extra_specs",
                     json={"extra_specs": {"hw:cpu_policy": "shared"}})
        for path in ("/flavors/detail", "/flavors/1"):
            new = self.request("GET", path, "2.61").json
            old = self.request("GET", path, "2.60").json
            flavor = new["flavors"][0] if "flavors" in new else new["flavor"]
            self.assertEqual({"hw:cpu_policy": "shared"}, flavor["extra_specs"])
            self.assertNotIn("extra_specs", old["flavors"][0] if "flavors" in old
                             else old["flavor"])

    def test_2_63_trusted_certificates_are_refused(self) -> None:
        body = {"server": {"name": "vm", "imageRef": self.image.id, "flavorRef": "1",
                           "networks": "none", "trusted_image_certificates": ["cert-1"]}}
        resp = self.request("POST", "/servers", "2.63", json=body)
        self.assertEqual(400, resp.status_code, resp.text)
        self.assertIn("certificate validation", resp.text)
        self.assertEqual([], self.request("GET", "/servers").json["servers"])
        server = self.boot(version="2.63")
        shown = self.request("GET", f"/servers/{server['id']}", "2.63").json["server"]
        self.assertIsNone(shown["trusted_image_certificates"])

    def test_2_64_server_groups_take_one_policy_and_rules(self) -> None:
        made = self.request("POST", "/os-server-groups", "2.64", json={"server_group": {
            "name": "g", "policy": "anti-affinity", "rules": {"max_server_per_host": 3}}})
        self.assertEqual(200, made.status_code, made.text)
        group = made.json["server_group"]
        self.assertEqual(("anti-affinity", {"max_server_per_host": 3}),
                         (group["policy"], group["rules"]))
        self.assertNotIn("policies", group)
        old = self.request("GET", f"/os-server-groups/{group['id']}", "2.63").json
        self.assertEqual(["anti-affinity"], old["server_group"]["policies"])
        for bad in ({"name": "g", "policy": "affinity", "rules": {"max_server_per_host": 2}},
                    {"name": "g", "policies": ["affinity"]},
                    {"name": "g", "policy": "anti-affinity",
                     "rules": {"max_server_per_host": 0}}):
            resp = self.request("POST", "/os-server-groups", "2.64",
                                json={"server_group": bad})
            self.assertEqual(400, resp.status_code, (bad, resp.text))

    def test_2_66_changes_before(self) -> None:
        self.boot()
        since, before = "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"
        resp = self.request("GET", f"/servers?changes-since={since}&changes-before={before}",
                            "2.66")
        self.assertEqual(400, resp.status_code, resp.text)
        resp = self.request("GET", "/servers?changes-before=2000-01-01T00:00:00Z", "2.66")
        self.assertEqual([], resp.json["servers"])
        resp = self.request("GET", "/servers?changes-before=2000-01-01T00:00:00Z", "2.65")
        self.assertEqual(1, len(resp.json["servers"]))  # ignored before 2.66

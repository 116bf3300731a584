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

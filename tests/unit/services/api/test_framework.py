"""The app's framework: discovery documents, request ids, error formats, limits, CORS,
metrics and paging, independent of any one resource."""
import falcon
import falcon.testing
import oslo_messaging as messaging

from common import exceptions
from services.api import app, pagination
from services.api.compute import versions as compute_versions
from tests.unit.base import api as base


class DiscoveryTest(base.APITestCase):
    def test_identity_root_lists_v3_with_300(self) -> None:
        resp = self.client.simulate_get("/identity")
        self.assertEqual(300, resp.status_code)
        (version,) = resp.json["versions"]["values"]
        self.assertEqual("http://api.test/identity/v3/", version["links"][0]["href"])
        self.assertIn("media-types", version)

    def test_identity_v3_is_200_without_token(self) -> None:
        resp = self.client.simulate_get("/identity/v3/")
        self.assertEqual(200, resp.status_code)
        self.assertEqual("v3.14", resp.json["version"]["id"])

    def test_compute_root_and_version(self) -> None:
        root = self.client.simulate_get("/compute/")
        version = self.client.simulate_get("/compute/v2.1")
        self.assertEqual(200, root.status_code)
        self.assertEqual(root.json["versions"][0], version.json["version"])
        self.assertEqual(("2.1", compute_versions.MAX_VERSION),
                         (version.json["version"]["min_version"],
                          version.json["version"]["version"]))

    def test_image_root_is_300_with_v2_current(self) -> None:
        resp = self.client.simulate_get("/image")
        self.assertEqual(300, resp.status_code)
        self.assertEqual(("v2.16", "CURRENT"), (resp.json["versions"][0]["id"],
                                                resp.json["versions"][0]["status"]))

    def test_dns_v2_supported_and_v2_0_to_v2_4_current(self) -> None:
        versions = self.client.simulate_get("/dns").json["versions"]
        self.assertEqual({"v2": "SUPPORTED", **{f"v2.{minor}": "CURRENT" for minor in range(5)}},
                         {v["id"]: v["status"] for v in versions})
        self.assertEqual({"http://api.test/dns/v2"},
                         {link["href"] for v in versions for link in v["links"]})

    def test_network_lists_v2_0(self) -> None:
        self.assertEqual("v2.0", self.client.simulate_get("/network").json["versions"][0]["id"])


class RequestIdTest(base.APITestCase):
    def test_made_when_absent(self) -> None:
        resp = self.client.simulate_get("/healthcheck")
        self.assertRegex(resp.headers["X-OpenStack-Request-ID"], r"^req-[0-9a-f-]{36}$")

    def test_given_one_is_echoed_and_compute_adds_its_header(self) -> None:
        rid = "req-12345678-1234-1234-1234-123456789012"
        resp = self.client.simulate_get("/compute", headers={"X-OpenStack-Request-ID": rid})
        self.assertEqual(rid, resp.headers["X-OpenStack-Request-ID"])
        self.assertEqual(rid, resp.headers["x-compute-request-id"])

    def test_malformed_one_is_replaced(self) -> None:
        resp = self.client.simulate_get("/healthcheck",
                                        headers={"X-OpenStack-Request-ID": "evil\x00"})
        self.assertNotEqual("evil", resp.headers["X-OpenStack-Request-ID"])


class ErrorFormatTest(base.APITestCase):
    def test_unknown_route_is_404_in_each_format(self) -> None:
        expected = {
            "/identity/v3/nothing": lambda b: b["error"]["code"] == 404,
            "/compute/v2.1/nothing": lambda b: b["itemNotFound"]["code"] == 404,
            "/network/v2.0/nothing": lambda b: b["NeutronError"]["type"] == "HTTPNotFound",
            "/image/v2/nothing": lambda b: b["code"] == "404 Not Found",
            "/dns/v2/nothing": lambda b: b["type"] == "not_found",
        }
        for path, check in expected.items():
            resp = self.client.simulate_get(path, headers=self.headers())
            self.assertEqual(404, resp.status_code, path)
            self.assertTrue(check(resp.json), f"{path}: {resp.json}")

    def test_wrong_method_is_405_even_without_token(self) -> None:
        resp = self.client.simulate_put("/identity/v3")
        self.assertEqual(405, resp.status_code)
        self.assertEqual(405, resp.json["error"]["code"])

    def test_malformed_json_is_400(self) -> None:
        resp = self.client.simulate_post("/identity/v3/auth/tokens", body="{nope")
        self.assertEqual(400, resp.status_code)
        self.assertIn("Malformed", resp.json["error"]["message"])

    def test_schema_violation_is_400_and_changes_nothing(self) -> None:
        headers = self.headers()
        before = self.client.simulate_get("/identity/v3/projects", headers=headers).json
        resp = self.client.simulate_post("/identity/v3/projects", headers=headers,
                                         json={"project": {"name": 42}})
        self.assertEqual(400, resp.status_code)
        self.assertIn("project/name", resp.json["error"]["message"])
        after = self.client.simulate_get("/identity/v3/projects", headers=headers).json
        self.assertEqual(before["projects"], after["projects"])

    def test_oversized_body_is_413(self) -> None:
        self.flags("api", max_request_body_size=1024)
        resp = self.client.simulate_post("/identity/v3/auth/tokens", body="x" * 2000)
        self.assertEqual(413, resp.status_code)
        self.assertEqual("Request Entity Too Large", resp.json["error"]["title"])

    def test_unexpected_exception_is_500_in_the_api_format(self) -> None:
        class Broken:
            public_methods = frozenset({"GET"})

            def on_get(self, _req: falcon.Request, _resp: falcon.Response) -> None:
                raise RuntimeError("boom")

        application = app.create_app()
        application.add_route("/compute/v2.1/broken", Broken())
        with self.assertLogs("services.api.errors", "ERROR"):
            resp = falcon.testing.TestClient(application).simulate_get(
                "/compute/v2.1/broken")
        self.assertEqual(500, resp.status_code)
        self.assertEqual(500, resp.json["computeFault"]["code"])
        self.assertNotIn("boom", resp.text)

    def test_a_service_or_database_not_answering_is_503_with_retry_after(self) -> None:
        class Unavailable:
            public_methods = frozenset({"GET"})

            def __init__(self, error: Exception) -> None:
                self.error = error

            def on_get(self, _req: falcon.Request, _resp: falcon.Response) -> None:
                raise self.error

        application = app.create_app()
        application.add_route("/network/v2.0/slow", Unavailable(
            messaging.MessagingTimeout("no reply")))
        application.add_route("/compute/v2.1/down", Unavailable(
            exceptions.DatabaseUnavailable()))
        client = falcon.testing.TestClient(application)
        with self.assertNoLogs("services.api.errors", "ERROR"):
            slow = client.simulate_get("/network/v2.0/slow")
            down = client.simulate_get("/compute/v2.1/down")
        self.assertEqual((503, "5", "HTTPServiceUnavailable"),
                         (slow.status_code, slow.headers["Retry-After"],
                          slow.json["NeutronError"]["type"]))
        self.assertEqual((503, "The database is unavailable; retry later."),
                         (down.status_code, down.json["serviceUnavailable"]["message"]))


class CorsAndMetricsTest(base.APITestCase):
    def test_cors_allows_configured_origin(self) -> None:
        self.flags("api", cors_allowed_origins=["http://dash.test"])
        client = falcon.testing.TestClient(app.create_app())
        resp = client.simulate_get("/identity/v3", headers={"Origin": "http://dash.test"})
        self.assertEqual("http://dash.test", resp.headers["Access-Control-Allow-Origin"])

    def test_metrics_count_requests(self) -> None:
        self.client.simulate_get("/compute")
        resp = self.client.simulate_get("/metrics")
        self.assertIn('strato_api_requests_total{api="compute",method="GET",status="200"}',
                      resp.text)
        self.assertIn("strato_api_request_duration_seconds_bucket", resp.text)


class PaginationTest(base.APITestCase):
    def test_bad_limit_is_400(self) -> None:
        req = falcon.testing.create_req(query_string="limit=abc")
        self.assertRaises(exceptions.BadRequest, pagination.params, req)

    def test_next_link_only_on_a_full_page(self) -> None:
        req = falcon.testing.create_req(path="/identity/v3/users", query_string="limit=2")
        self.assertEqual((2, None), pagination.params(req))
        link = pagination.next_link(req, [{"id": "a"}, {"id": "b"}], 2)
        self.assertEqual("http://api.test/identity/v3/users?limit=2&marker=b", link)
        self.assertIsNone(pagination.next_link(req, [{"id": "a"}], 2))

    def test_identity_lists_page_with_marker(self) -> None:
        headers = self.headers()
        every = self.client.simulate_get("/identity/v3/roles", headers=headers).json["roles"]
        first = self.client.simulate_get("/identity/v3/roles?limit=2", headers=headers).json
        self.assertEqual(2, len(first["roles"]))
        marker = first["roles"][-1]["id"]
        rest = self.client.simulate_get(f"/identity/v3/roles?marker={marker}",
                                        headers=headers).json
        self.assertEqual([role["id"] for role in every[2:]],
                         [role["id"] for role in rest["roles"]])
        self.assertIn("marker=", first["links"]["next"])

"""External Keystone mode: tokens validated by a (fake) Keystone over HTTP, cached."""
import http.server
import json
import threading

import falcon.testing

from services.api import app
from services.api.auth import validator
from tests.unit import base

SERVICE_TOKEN = "service-token"
USER_TOKEN = "user-token"


class FakeKeystone(http.server.BaseHTTPRequestHandler):
    validations = 0

    def log_message(self, *_args: object) -> None:
        pass

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.rstrip("/").endswith("/v3"):
            return self._send(200, {"version": {"id": "v3.14", "status": "stable",
                                                "links": [{"rel": "self",
                                                           "href": self.server.url}]}})
        if self.headers.get("X-Auth-Token") != SERVICE_TOKEN:
            return self._send(401, {"error": {"code": 401}})
        if self.headers.get("X-Subject-Token") != USER_TOKEN:
            return self._send(404, {"error": {"code": 404}})
        FakeKeystone.validations += 1
        self._send(200, {"token": {"user": {"id": "u1"}, "project": {"id": "p1"},
                                   "roles": [{"name": "member"}, {"name": "reader"}],
                                   "expires_at": "2999-01-01T00:00:00.000000Z"}})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        password = body["auth"]["identity"]["password"]["user"]["password"]
        if password != "service-pw":
            return self._send(401, {"error": {"code": 401}})
        self._send(201, {"token": {"expires_at": "2999-01-01T00:00:00.000000Z",
                                   "catalog": []}}, {"X-Subject-Token": SERVICE_TOKEN})


class ExternalKeystoneTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeKeystone)
        server.url = f"http://127.0.0.1:{server.server_address[1]}/v3"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.flags("identity", external_keystone_url=server.url, service_username="strato",
                   service_password="service-pw")
        validator.reset()
        self.addCleanup(validator.reset)
        FakeKeystone.validations = 0
        self.client = falcon.testing.TestClient(app.create_app())

    def test_valid_token_becomes_context_and_is_cached(self) -> None:
        for _ in range(3):
            ctx = validator.get().context(USER_TOKEN, "req-1")
        self.assertEqual(("u1", "p1", ["member", "reader"]),
                         (ctx.user_id, ctx.project_id, ctx.roles))
        self.assertEqual(1, FakeKeystone.validations)

    def test_unknown_token_is_401_and_builtin_identity_is_off(self) -> None:
        resp = self.client.simulate_get("/compute/v2.1/servers",
                                        headers={"X-Auth-Token": "bogus"})
        self.assertEqual(401, resp.status_code)
        self.assertIn("unauthorized", resp.json)
        self.assertEqual(404, self.client.simulate_get("/identity/v3").status_code)

"""Base of the DNS API unit tests: admin (project admin) and demo (member of project
demo) tokens, Designate-style request helpers, and the casts to the dns agent recorded."""
from unittest import mock

import falcon.testing

from services.api.dns import agent
from tests.unit.base import api as base

V2 = "/dns/v2"


class DNSAPITestCase(base.APITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = self.headers()
        self.demo = {"X-Auth-Token": self.token("demo", base.DEMO_PASSWORD, "demo")}
        self.casts: list[tuple[str, str | None]] = []
        for name in ("sync_zone", "sync_network"):
            patcher = mock.patch.object(agent, name, side_effect=self._recorder(name))
            patcher.start()
            self.addCleanup(patcher.stop)

    def _recorder(self, name: str):
        def record(_req: falcon.Request, target: str | None) -> None:
            self.casts.append((name, target))
        return record

    def call(self, method: str, path: str, status: int, body: object = None,
             headers: dict | None = None) -> falcon.testing.Result:
        """``method`` on /dns/v2 + ``path``, asserting the status; as demo by default."""
        resp = self.client.simulate_request(method, V2 + path, json=body,
                                            headers=self.demo if headers is None else headers)
        self.assertEqual(status, resp.status_code, resp.text)
        return resp

    def assert_error(self, resp: falcon.testing.Result, code: int, error_type: str) -> None:
        self.assertEqual((code, error_type), (resp.json["code"], resp.json["type"]), resp.text)
        self.assertRegex(resp.json["request_id"], r"^req-")

    def zone(self, name: str = "example.org.", headers: dict | None = None,
             **body: object) -> dict:
        return self.call("POST", "/zones", 202, {"name": name, "email": "admin@example.org",
                                                  **body}, headers).json

    def recordset(self, zone_id: str, name: str, rtype: str = "A",
                  records: list[str] | None = None, **body: object) -> dict:
        return self.call("POST", f"/zones/{zone_id}/recordsets", 202,
                         {"name": name, "type": rtype,
                          "records": records or ["192.0.2.1"], **body}).json

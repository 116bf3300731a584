"""A real strato-api process (gunicorn, two workers): bootstrap, tokens over HTTP,
revocation seen by every worker, error formats, metrics."""
import http.client
import json
import re
import time
import urllib.error
import urllib.request

from tests.functional import fixtures

PASSWORD = "functional-secret"


@fixtures.on_each_database
class IdentityOverHTTPTest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        deployment = cls.deployment
        with open(deployment.config_file) as f:
            port = re.search(r"bind_port = (\d+)", f.read()).group(1)
        cls.url = f"http://127.0.0.1:{port}"
        # Control-service settings go to the file only they (and strato-manage) read.
        with open(deployment.db_config_file, "a") as f:
            f.write(f"[api]\npublic_url = {cls.url}\nworkers = 2\n"
                    "[identity]\nbcrypt_rounds = 4\n")
        deployment.manage("bootstrap", "--admin-password", PASSWORD)
        cls.api = deployment.start("strato-api")
        fixtures.wait_until(cls._healthy, 60, "strato-api answers /healthcheck")

    @classmethod
    def _healthy(cls) -> bool:
        try:
            return cls.request("GET", "/healthcheck")[0] == 200
        except OSError:
            return False

    @classmethod
    def request(cls, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, object]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(cls.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                raw = resp.read()
                status, resp_headers = resp.status, resp.headers
        except urllib.error.HTTPError as error:
            raw, status, resp_headers = error.read(), error.code, error.headers
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode()
        return status, {k.lower(): v for k, v in resp_headers.items()}, payload

    def issue(self) -> str:
        status, headers, body = self.request("POST", "/identity/v3/auth/tokens", {
            "auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"name": "Default"}, "password": PASSWORD}}},
                "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}})
        self.assertEqual(201, status, body)
        return headers["x-subject-token"]

    def test_token_issue_validate_revoke_across_workers(self) -> None:
        token = self.issue()
        auth = {"X-Auth-Token": token}
        for _ in range(6):  # both workers answer some of these
            self.assertEqual(200, self.request("GET", "/identity/v3/projects",
                                               headers=auth)[0])
        status, _h, _b = self.request("DELETE", "/identity/v3/auth/tokens",
                                      headers={**auth, "X-Subject-Token": token})
        self.assertEqual(204, status)
        for _ in range(6):
            status, _h, body = self.request("GET", "/identity/v3/projects", headers=auth)
            self.assertEqual(401, status)
            self.assertEqual("Unauthorized", body["error"]["title"])

    def test_chunked_json_body_without_content_length(self) -> None:
        body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {
            "user": {"name": "admin", "domain": {"name": "Default"},
                     "password": PASSWORD}}}}}).encode()
        # An iterable body makes urllib send it chunked, with no Content-Length.
        req = urllib.request.Request(self.url + "/identity/v3/auth/tokens",
                                     data=iter([body[:20], body[20:]]), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            self.assertEqual("chunked", req.get_header("Transfer-encoding"))
            self.assertEqual(201, resp.status)

    def test_idle_connection_outlives_a_client_poll_interval(self) -> None:
        # The CLI's --wait polls every 2 s on one kept-alive connection.
        connection = http.client.HTTPConnection(self.url.removeprefix("http://"), timeout=10)
        self.addCleanup(connection.close)
        for _ in range(2):
            connection.request("GET", "/identity/v3")
            response = connection.getresponse()
            response.read()
            self.assertEqual(200, response.status)
            time.sleep(2.5)

    def test_discovery_request_id_and_metrics(self) -> None:
        status, headers, body = self.request("GET", "/identity")
        self.assertEqual(300, status)
        self.assertEqual(self.url + "/identity/v3/",
                         body["versions"]["values"][0]["links"][0]["href"])
        self.assertRegex(headers["x-openstack-request-id"], r"^req-")
        status, _h, text = self.request("GET", "/metrics")
        self.assertEqual(200, status)
        self.assertIn("strato_api_requests_total", text)

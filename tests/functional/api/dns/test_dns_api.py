"""The DNS API over HTTP against real strato-api, conductor and dns agent processes on a
private vhost: what the API accepts is served by the built-in server within 2 s, absent
names are NXDOMAIN, the SOA serial grows with each change, statuses turn ACTIVE; records
a project adds to a zone shared with it are served alike."""
import json
import re
import time
import urllib.error
import urllib.request

import dns.rcode

from tests.functional import fixtures
from tests.unit.base.dns import answers, ask

PASSWORD = "functional-secret"
SERVED_WITHIN = 2.0


class DNSAPITest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        deployment = cls.deployment
        with open(deployment.config_file) as f:
            text = f.read()
        cls.url = "http://127.0.0.1:" + re.search(r"bind_port = (\d+)", text).group(1)
        cls.dns_port = int(re.search(r"listen_port = (\d+)", text).group(1))
        with open(deployment.config_file, "w") as f:
            f.write(text.replace("[dns]\n", "[dns]\nnameservers = ns1.strato.test.\n", 1))
        with open(deployment.db_config_file, "a") as f:
            f.write(f"[api]\npublic_url = {cls.url}\n[identity]\nbcrypt_rounds = 4\n")
        deployment.manage("bootstrap", "--admin-password", PASSWORD,
                          "--demo-password", PASSWORD)
        deployment.start("strato-conductor")
        deployment.ping("strato-conductor")
        deployment.start("strato-dns", without_database=True)
        deployment.ping("strato-dns")
        deployment.start("strato-api")
        with deployment.logs_on_failure():
            fixtures.wait_until(cls._healthy, 60, "strato-api answers /healthcheck")
        cls.token, _project = cls._login("admin")
        cls.demo_token, cls.demo_project = cls._login("demo")

    @classmethod
    def _healthy(cls) -> bool:
        try:
            return cls._request("GET", "/healthcheck")[0] == 200
        except OSError:
            return False

    @classmethod
    def _request(cls, method: str, path: str, body: object = None,
                 token: str | None = None,
                 extra_headers: dict[str, str] | None = None) -> tuple[int, dict, object]:
        headers = {"Content-Type": "application/json", **(extra_headers or {})}
        if token:
            headers["X-Auth-Token"] = token
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(cls.url + path, data=data, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                raw, status, resp_headers = resp.read(), resp.status, resp.headers
        except urllib.error.HTTPError as error:
            raw, status, resp_headers = error.read(), error.code, error.headers
        is_json = "json" in (resp_headers.get("Content-Type") or "")
        return (status, {k.lower(): v for k, v in resp_headers.items()},
                json.loads(raw) if raw and is_json else raw)

    @classmethod
    def _login(cls, user: str) -> tuple[str, str]:
        """A token of ``user`` in the project of the same name, and that project's id."""
        status, headers, body = cls._request("POST", "/identity/v3/auth/tokens", {
            "auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": user, "domain": {"name": "Default"}, "password": PASSWORD}}},
                "scope": {"project": {"name": user, "domain": {"name": "Default"}}}}})
        assert status == 201, body
        return headers["x-subject-token"], body["token"]["project"]["id"]

    def dns_api(self, method: str, path: str, expected: int, body: object = None,
                token: str | None = None, headers: dict[str, str] | None = None) -> dict:
        status, _headers, payload = self._request(method, "/dns/v2" + path, body,
                                                  token or self.token, headers)
        self.assertEqual(expected, status, payload)
        return payload

    def served_within(self, name: str, rdtype: str, expected: list[str],
                      started: float) -> None:
        """``name`` answers ``expected`` no later than SERVED_WITHIN after ``started``."""
        def current() -> bool:
            return answers(ask(self.dns_port, name, rdtype)) == expected
        with self.deployment.logs_on_failure():
            fixtures.wait_until(current, SERVED_WITHIN - (time.monotonic() - started),
                                f"{name} {rdtype} answering {expected}", interval=0.05)

    def soa_serial(self, zone: str) -> int:
        return ask(self.dns_port, zone, "SOA").answer[0][0].serial

    def test_changes_are_served_within_two_seconds(self) -> None:
        zone_name = f"{fixtures.unique_name('z')}.example."
        www = f"www.{zone_name}"
        started = time.monotonic()
        zone = self.dns_api("POST", "/zones", 202, {"name": zone_name,
                                                     "email": "admin@example.org"})
        rs = self.dns_api("POST", f"/zones/{zone['id']}/recordsets", 202,
                          {"name": www, "type": "A", "records": ["192.0.2.10"]})
        self.served_within(www, "A", [f"{www} A 192.0.2.10"], started)
        self.assertEqual(dns.rcode.NXDOMAIN, ask(self.dns_port, f"absent.{zone_name}").rcode())
        with self.deployment.logs_on_failure():
            fixtures.wait_until(lambda: self.dns_api("GET", f"/zones/{zone['id']}/recordsets/"
                                                     f"{rs['id']}", 200)["status"] == "ACTIVE",
                                5, "recordset ACTIVE once the agent reported")
        serials = [self.soa_serial(zone_name)]

        started = time.monotonic()
        self.dns_api("PUT", f"/zones/{zone['id']}/recordsets/{rs['id']}", 202,
                     {"records": ["192.0.2.20"]})
        self.served_within(www, "A", [f"{www} A 192.0.2.20"], started)
        serials.append(self.soa_serial(zone_name))

        started = time.monotonic()
        self.dns_api("PATCH", f"/zones/{zone['id']}", 202, {"ttl": 600})
        fixtures.wait_until(lambda: self.soa_serial(zone_name) > serials[-1],
                            SERVED_WITHIN - (time.monotonic() - started), "serial after PATCH")
        serials.append(self.soa_serial(zone_name))

        started = time.monotonic()
        self.dns_api("DELETE", f"/zones/{zone['id']}/recordsets/{rs['id']}", 202)
        fixtures.wait_until(lambda: ask(self.dns_port, www).rcode() == dns.rcode.NXDOMAIN,
                            SERVED_WITHIN - (time.monotonic() - started), "www gone")
        serials.append(self.soa_serial(zone_name))
        self.assertEqual(sorted(set(serials)), serials)  # strictly growing

        started = time.monotonic()
        self.dns_api("DELETE", f"/zones/{zone['id']}", 202)
        fixtures.wait_until(lambda: ask(self.dns_port, zone_name, "SOA").rcode()
                            == dns.rcode.REFUSED, SERVED_WITHIN - (time.monotonic() - started),
                            "zone no longer served")
        fixtures.wait_until(lambda: self._request("GET", f"/dns/v2/zones/{zone['id']}", None,
                                                  self.token)[0] == 404, 5, "zone purged")

    def test_records_of_a_project_the_zone_is_shared_with_are_served(self) -> None:
        zone_name = f"{fixtures.unique_name('shared')}.example."
        api = f"api.{zone_name}"
        zone = self.dns_api("POST", "/zones", 202, {"name": zone_name,
                                                     "email": "admin@example.org"})
        self.dns_api("POST", f"/zones/{zone['id']}/shares", 201,
                     {"target_project_id": self.demo_project})
        self.assertTrue(self.dns_api("GET", f"/zones/{zone['id']}", 200,
                                     token=self.demo_token)["shared"])
        started = time.monotonic()
        rs = self.dns_api("POST", f"/zones/{zone['id']}/recordsets", 202,
                          {"name": api, "type": "A", "records": ["192.0.2.30"]},
                          token=self.demo_token)
        self.assertEqual(self.demo_project, rs["project_id"])
        self.served_within(api, "A", [f"{api} A 192.0.2.30"], started)
        self.dns_api("DELETE", f"/zones/{zone['id']}", 400)
        self.dns_api("DELETE", f"/zones/{zone['id']}", 202,
                     headers={"X-Designate-Delete-Shares": "true"})
        self.dns_api("GET", f"/zones/{zone['id']}", 404, token=self.demo_token)

"""Base of the api unit tests: a migrated SQLite, a bootstrapped identity, the falcon app
under falcon.testing, and helpers to get tokens."""
import argparse

import falcon.testing

from common import policy
from services.api import app
from services.api.auth import validator
from services.manage import identity as manage_identity
from tests.unit import base

ADMIN_PASSWORD = "admin-secret"
DEMO_PASSWORD = "demo-secret"


class APITestCase(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags("identity", bcrypt_rounds=4)
        self.flags("api", public_url="http://api.test")
        self.addCleanup(validator.reset)
        self.addCleanup(policy.reset)
        validator.reset()
        policy.reset()
        manage_identity.bootstrap(argparse.Namespace(admin_password=ADMIN_PASSWORD,
                                                     demo_password=DEMO_PASSWORD))
        self.client = falcon.testing.TestClient(app.create_app())

    def auth_body(self, user: str, password: str, project: str | None = None) -> dict:
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}}}}
        if project:
            body["auth"]["scope"] = {"project": {"name": project,
                                                 "domain": {"id": "default"}}}
        return body

    def token(self, user: str = "admin", password: str = ADMIN_PASSWORD,
              project: str | None = "admin") -> str:
        resp = self.client.simulate_post("/identity/v3/auth/tokens",
                                         json=self.auth_body(user, password, project))
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.headers["X-Subject-Token"]

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"X-Auth-Token": token or self.token()}

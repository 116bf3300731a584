"""Tokens: issue, scopes, validation without the database, revocation, expiry, rescope,
application credentials and key rotation."""
import time
from unittest import mock

from common import fernet_keys as keys
from common.config import CONF
from common.db import session
from services.api.auth import validator
from services.api.auth.tokens import Token
from services.manage import identity as manage_identity
from tests.unit.base import api as base

TOKENS = "/identity/v3/auth/tokens"
# One protected GET per API: each must refuse a bad token with 401 in its own format.
PROTECTED = {"/identity/v3/auth/projects": lambda b: b["error"]["code"],
             "/compute/v2.1/servers": lambda b: b["unauthorized"]["code"],
             "/network/v2.0/networks": lambda b: 401 if "NeutronError" in b else 0,
             "/image/v2/images": lambda b: int(b["code"].split()[0]),
             "/dns/v2/zones": lambda b: b["code"]}


class IssueTest(base.APITestCase):
    def test_project_scoped_token_has_roles_with_implied_and_catalog(self) -> None:
        resp = self.client.simulate_post(TOKENS, json=self.auth_body(
            "demo", base.DEMO_PASSWORD, "demo"))
        token = resp.json["token"]
        self.assertEqual("demo", token["project"]["name"])
        self.assertEqual({"member", "reader"}, {r["name"] for r in token["roles"]})
        types = {s["type"] for s in token["catalog"]}
        self.assertEqual({"identity", "compute", "network", "image", "dns"}, types)
        compute = next(s for s in token["catalog"] if s["type"] == "compute")
        self.assertEqual({"public", "internal", "admin"},
                         {e["interface"] for e in compute["endpoints"]})
        self.assertEqual("http://api.test/compute/v2.1", compute["endpoints"][0]["url"])

    def test_unscoped_token_has_no_catalog_roles_or_project(self) -> None:
        token = self.client.simulate_post(TOKENS, json=self.auth_body(
            "admin", base.ADMIN_PASSWORD)).json["token"]
        for key in ("catalog", "roles", "project"):
            self.assertNotIn(key, token)

    def test_explicitly_unscoped_as_horizon_asks_even_with_a_default_project(self) -> None:
        demo = self.client.simulate_get("/identity/v3/users?name=demo",
                                        headers=self.headers()).json["users"][0]
        project = self.client.simulate_get("/identity/v3/projects?name=demo",
                                           headers=self.headers()).json["projects"][0]
        self.client.simulate_patch(f"/identity/v3/users/{demo['id']}", headers=self.headers(),
                                   json={"user": {"default_project_id": project["id"]}})
        body = self.auth_body("demo", base.DEMO_PASSWORD)
        self.assertIn("project", self.client.simulate_post(TOKENS, json=body).json["token"])
        body["auth"]["scope"] = "unscoped"
        resp = self.client.simulate_post(TOKENS, json=body)
        self.assertEqual(201, resp.status_code, resp.text)
        self.assertNotIn("project", resp.json["token"])
        body["auth"]["scope"] = "project"
        resp = self.client.simulate_post(TOKENS, json=body)
        self.assertEqual((400, 400), (resp.status_code, resp.json["error"]["code"]))

    def test_domain_scoped_and_user_by_id(self) -> None:
        user_id = self.client.simulate_post(TOKENS, json=self.auth_body(
            "admin", base.ADMIN_PASSWORD)).json["token"]["user"]["id"]
        self.client.simulate_put(
            f"/identity/v3/domains/default/users/{user_id}/roles/"
            + self._role_id("admin"), headers=self.headers())
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "id": user_id, "password": base.ADMIN_PASSWORD}}},
            "scope": {"domain": {"id": "default"}}}}
        token = self.client.simulate_post(TOKENS, json=body).json["token"]
        self.assertEqual({"id": "default", "name": "Default"}, token["domain"])
        self.assertIn("admin", [r["name"] for r in token["roles"]])

    def _role_id(self, name: str) -> str:
        roles = self.client.simulate_get(f"/identity/v3/roles?name={name}",
                                         headers=self.headers()).json["roles"]
        return roles[0]["id"]

    def test_wrong_password_unknown_user_and_foreign_project_are_401(self) -> None:
        for body in (self.auth_body("demo", "wrong", "demo"),
                     self.auth_body("nobody", "x", "demo"),
                     self.auth_body("demo", base.DEMO_PASSWORD, "admin")):
            resp = self.client.simulate_post(TOKENS, json=body)
            self.assertEqual(401, resp.status_code)
            self.assertEqual("Unauthorized", resp.json["error"]["title"])

    def test_body_without_auth_is_400(self) -> None:
        resp = self.client.simulate_post(TOKENS, json={"nope": {}})
        self.assertEqual(400, resp.status_code)


class ValidateTest(base.APITestCase):
    def test_get_equals_post_and_head_is_200(self) -> None:
        post = self.client.simulate_post(TOKENS, json=self.auth_body(
            "demo", base.DEMO_PASSWORD, "demo"))
        subject = post.headers["X-Subject-Token"]
        headers = {"X-Auth-Token": subject, "X-Subject-Token": subject}
        self.assertEqual(post.json, self.client.simulate_get(TOKENS, headers=headers).json)
        self.assertEqual(200, self.client.simulate_head(TOKENS, headers=headers).status_code)

    def test_validation_reads_no_database_once_warm(self) -> None:
        token = self.token("demo", base.DEMO_PASSWORD, "demo")
        self.client.simulate_get("/identity/v3/auth/projects", headers=self.headers(token))
        # Revocations were loaded; caches are warm. Now the database is gone.
        with mock.patch.object(session, "transaction", side_effect=AssertionError("DB")):
            ctx = validator.get().context(token, "req-x")
        self.assertEqual({"member", "reader"}, set(ctx.roles))

    def test_other_users_token_is_403_for_a_member(self) -> None:
        admin = self.token()
        demo = self.token("demo", base.DEMO_PASSWORD, "demo")
        resp = self.client.simulate_get(TOKENS, headers={"X-Auth-Token": demo,
                                                         "X-Subject-Token": admin})
        self.assertEqual(403, resp.status_code)


class RevocationTest(base.APITestCase):
    def assert_refused_everywhere(self, token: str) -> None:
        for path, code in PROTECTED.items():
            resp = self.client.simulate_get(path, headers={"X-Auth-Token": token})
            self.assertEqual(401, resp.status_code, path)
            self.assertEqual(401, code(resp.json), f"{path}: {resp.json}")

    def test_deleted_token_is_404_to_validate_and_401_on_every_api(self) -> None:
        token = self.token("demo", base.DEMO_PASSWORD, "demo")
        headers = {"X-Auth-Token": token, "X-Subject-Token": token}
        self.assertEqual(204, self.client.simulate_delete(TOKENS, headers=headers).status_code)
        other = self.token()
        resp = self.client.simulate_get(TOKENS, headers={"X-Auth-Token": other,
                                                         "X-Subject-Token": token})
        self.assertEqual(404, resp.status_code)
        self.assert_refused_everywhere(token)

    def test_expired_token_is_401_on_every_api(self) -> None:
        formatter = validator.local().formatter
        user_id = self.client.simulate_post(TOKENS, json=self.auth_body(
            "admin", base.ADMIN_PASSWORD)).json["token"]["user"]["id"]
        expired = formatter.seal(Token(user_id=user_id, methods=("password",),
                                       expires_at=time.time() - 1, audit_ids=("a",)))
        self.assert_refused_everywhere(expired)
        self.assert_refused_everywhere("garbage")

    def test_password_change_revokes_older_tokens(self) -> None:
        token = self.token("demo", base.DEMO_PASSWORD, "demo")
        user_id = validator.local().open(token).user_id
        resp = self.client.simulate_post(
            f"/identity/v3/users/{user_id}/password", headers=self.headers(token),
            json={"user": {"original_password": base.DEMO_PASSWORD, "password": "new-pw"}})
        self.assertEqual(204, resp.status_code, resp.text)
        self.assert_refused_everywhere(token)
        self.token("demo", "new-pw", "demo")


class RescopeAndCredentialTest(base.APITestCase):
    def test_unscoped_token_rescoped_keeps_expiry_and_user(self) -> None:
        first = self.client.simulate_post(TOKENS, json=self.auth_body(
            "demo", base.DEMO_PASSWORD))
        body = {"auth": {"identity": {"methods": ["token"], "token": {
            "id": first.headers["X-Subject-Token"]}},
            "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}
        token = self.client.simulate_post(TOKENS, json=body).json["token"]
        self.assertEqual(first.json["token"]["expires_at"], token["expires_at"])
        self.assertEqual({"password", "token"}, set(token["methods"]))
        self.assertEqual(first.json["token"]["audit_ids"][0], token["audit_ids"][1])

    def test_application_credential_authenticates_with_its_roles(self) -> None:
        token = self.token("demo", base.DEMO_PASSWORD, "demo")
        user_id = validator.local().open(token).user_id
        resp = self.client.simulate_post(
            f"/identity/v3/users/{user_id}/application_credentials",
            headers=self.headers(token),
            json={"application_credential": {"name": "ci", "roles": [{"name": "reader"}]}})
        self.assertEqual(201, resp.status_code, resp.text)
        credential = resp.json["application_credential"]
        listed = self.client.simulate_get(
            f"/identity/v3/users/{user_id}/application_credentials",
            headers=self.headers(token)).json["application_credentials"]
        self.assertNotIn("secret", listed[0])
        body = {"auth": {"identity": {"methods": ["application_credential"],
                                      "application_credential": {
                                          "id": credential["id"],
                                          "secret": credential["secret"]}}}}
        issued = self.client.simulate_post(TOKENS, json=body)
        self.assertEqual(201, issued.status_code, issued.text)
        self.assertEqual(["reader"], [r["name"] for r in issued.json["token"]["roles"]])
        self.assertEqual(credential["id"],
                         issued.json["token"]["application_credential"]["id"])
        self.client.simulate_delete(
            f"/identity/v3/users/{user_id}/application_credentials/{credential['id']}",
            headers=self.headers(token))
        self.assertEqual(401, self.client.simulate_post(TOKENS, json=body).status_code)
        self.assertEqual(401, self.client.simulate_get(
            "/identity/v3/auth/projects",
            headers=self.headers(issued.headers["X-Subject-Token"])).status_code)


class KeyRotationTest(base.APITestCase):
    def test_token_survives_one_rotation_not_two_more(self) -> None:
        token = self.token()
        repository = CONF.identity.key_repository
        keys.rotate(repository, 3)
        validator.reset()
        self.assertEqual(200, self.client.simulate_get(
            "/identity/v3/auth/projects", headers=self.headers(token)).status_code)
        keys.rotate(repository, 3)
        keys.rotate(repository, 3)
        validator.reset()
        self.assertEqual(401, self.client.simulate_get(
            "/identity/v3/auth/projects", headers=self.headers(token)).status_code)

    def test_rotation_keeps_max_active_keys(self) -> None:
        repository = CONF.identity.key_repository
        for _ in range(4):
            keys.rotate(repository, 3)
        self.assertEqual(3, len(keys.load(repository)))

    def test_bootstrap_is_idempotent(self) -> None:
        import argparse

        def snapshot() -> dict:
            headers = self.headers()
            return {kind: sorted(r["id"] for r in self.client.simulate_get(
                f"/identity/v3/{kind}", headers=headers).json[kind])
                for kind in ("projects", "users", "roles", "services", "endpoints")}

        before = snapshot()
        manage_identity.bootstrap(argparse.Namespace(admin_password=base.ADMIN_PASSWORD,
                                                     demo_password=base.DEMO_PASSWORD))
        self.assertEqual(before, snapshot())
        self.assertEqual(15, len(before["endpoints"]))

"""Identity resources through the API: CRUD, role assignments, and who may do what."""
from tests.unit.base import api as base

V3 = "/identity/v3"


class ResourcesTest(base.APITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = self.headers()

    def post(self, path: str, body: dict, headers: dict | None = None) -> dict:
        resp = self.client.simulate_post(V3 + path, json=body, headers=headers or self.admin)
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.json

    def role_id(self, name: str) -> str:
        return self.client.simulate_get(f"{V3}/roles?name={name}",
                                        headers=self.admin).json["roles"][0]["id"]

    def make_member(self, project: str, role: str = "member") -> dict[str, str]:
        """A project with a user holding ``role``; the user's token headers."""
        project_id = self.post("/projects", {"project": {"name": project}})["project"]["id"]
        user = self.post("/users", {"user": {"name": project + "-user", "password": "pw",
                                             "email": "u@example.com"}})["user"]
        self.assertEqual("u@example.com", user["email"])
        resp = self.client.simulate_put(
            f"{V3}/projects/{project_id}/users/{user['id']}/roles/{self.role_id(role)}",
            headers=self.admin)
        self.assertEqual(204, resp.status_code)
        return {"X-Auth-Token": self.token(project + "-user", "pw", project),
                "project_id": project_id, "user_id": user["id"]}

    def test_project_crud_and_duplicate_is_409(self) -> None:
        project = self.post("/projects", {"project": {"name": "p1", "tags": ["a"]}})["project"]
        self.assertEqual(("default", "default"), (project["domain_id"], project["parent_id"]))
        dup = self.client.simulate_post(f"{V3}/projects", json={"project": {"name": "p1"}},
                                        headers=self.admin)
        self.assertEqual(409, dup.status_code)
        patched = self.client.simulate_patch(f"{V3}/projects/{project['id']}",
                                             json={"project": {"description": "d"}},
                                             headers=self.admin).json["project"]
        self.assertEqual("d", patched["description"])
        self.assertEqual(204, self.client.simulate_delete(
            f"{V3}/projects/{project['id']}", headers=self.admin).status_code)
        self.assertEqual(404, self.client.simulate_get(
            f"{V3}/projects/{project['id']}", headers=self.admin).status_code)

    def test_role_assignments_effective_include_implied(self) -> None:
        member = self.make_member("pa")
        resp = self.client.simulate_get(
            f"{V3}/role_assignments?effective&include_names&user.id={member['user_id']}"
            f"&scope.project.id={member['project_id']}", headers=self.admin)
        names = {a["role"]["name"] for a in resp.json["role_assignments"]}
        self.assertEqual({"member", "reader"}, names)
        direct = self.client.simulate_get(
            f"{V3}/role_assignments?user.id={member['user_id']}", headers=self.admin).json
        self.assertEqual(1, len(direct["role_assignments"]))
        self.assertEqual(204, self.client.simulate_head(
            f"{V3}/projects/{member['project_id']}/users/{member['user_id']}/roles/"
            f"{self.role_id('member')}", headers=self.admin).status_code)

    def test_member_of_a_cannot_see_or_touch_b(self) -> None:
        a = self.make_member("proj-a")
        b = self.make_member("proj-b")
        headers = {"X-Auth-Token": a["X-Auth-Token"]}
        self.assertEqual(200, self.client.simulate_get(
            f"{V3}/projects/{a['project_id']}", headers=headers).status_code)
        for resp in (
                self.client.simulate_get(f"{V3}/projects/{b['project_id']}", headers=headers),
                self.client.simulate_get(f"{V3}/users/{b['user_id']}", headers=headers),
                self.client.simulate_get(f"{V3}/users/{b['user_id']}/projects",
                                         headers=headers),
                self.client.simulate_delete(f"{V3}/projects/{b['project_id']}",
                                            headers=headers)):
            self.assertEqual(403, resp.status_code, resp.text)
        resp = self.client.simulate_post(
            f"{V3}/users/{b['user_id']}/application_credentials", headers=headers,
            json={"application_credential": {"name": "steal"}})
        self.assertEqual(403, resp.status_code)
        self.assertEqual(200, self.client.simulate_get(
            f"{V3}/projects/{b['project_id']}", headers=self.admin).status_code)

    def test_reader_cannot_write(self) -> None:
        reader = self.make_member("proj-r", role="reader")
        headers = {"X-Auth-Token": reader["X-Auth-Token"]}
        for method, path, body in (
                ("POST", "/projects", {"project": {"name": "x"}}),
                ("POST", "/users", {"user": {"name": "x"}}),
                ("PATCH", f"/projects/{reader['project_id']}", {"project": {"name": "y"}}),
                ("POST", "/roles", {"role": {"name": "x"}})):
            resp = self.client.simulate_request(method, V3 + path, json=body, headers=headers)
            self.assertEqual(403, resp.status_code, f"{method} {path}")
        self.assertEqual("proj-r", self.client.simulate_get(
            f"{V3}/projects/{reader['project_id']}", headers=self.admin).json["project"]["name"])

    def test_domain_delete_needs_disable_and_cascades(self) -> None:
        domain = self.post("/domains", {"domain": {"name": "d1"}})["domain"]
        user = self.post("/users", {"user": {"name": "u", "domain_id": domain["id"]}})["user"]
        path = f"{V3}/domains/{domain['id']}"
        self.assertEqual(403, self.client.simulate_delete(path, headers=self.admin).status_code)
        self.client.simulate_patch(path, json={"domain": {"enabled": False}}, headers=self.admin)
        self.assertEqual(204, self.client.simulate_delete(path, headers=self.admin).status_code)
        self.assertEqual(404, self.client.simulate_get(
            f"{V3}/users/{user['id']}", headers=self.admin).status_code)

    def test_implied_roles_and_group_grants_reach_tokens(self) -> None:
        member = self.make_member("pg")
        group = self.post("/groups", {"group": {"name": "g"}})["group"]
        extra = self.post("/roles", {"role": {"name": "extra"}})["role"]
        implied = self.post("/roles", {"role": {"name": "implied"}})["role"]
        self.assertEqual(201, self.client.simulate_put(
            f"{V3}/roles/{extra['id']}/implies/{implied['id']}",
            headers=self.admin).status_code)
        self.client.simulate_put(f"{V3}/groups/{group['id']}/users/{member['user_id']}",
                                 headers=self.admin)
        self.client.simulate_put(
            f"{V3}/projects/{member['project_id']}/groups/{group['id']}/roles/{extra['id']}",
            headers=self.admin)
        token = self.client.simulate_post("/identity/v3/auth/tokens", json=self.auth_body(
            "pg-user", "pw", "pg")).json["token"]
        self.assertEqual({"member", "reader", "extra", "implied"},
                         {r["name"] for r in token["roles"]})
        admin_role = self.role_id("admin")
        resp = self.client.simulate_put(f"{V3}/roles/{extra['id']}/implies/{admin_role}",
                                        headers=self.admin)
        self.assertEqual(403, resp.status_code)


class CatalogInputTest(base.APITestCase):
    """What the fuzzer sent the catalog: answered with 2xx or 4xx, never a 500."""

    def call(self, method: str, path: str, body: dict) -> object:
        return self.client.simulate_request(method, "/identity/v3" + path,
                                            headers=self.headers(), json=body)

    def test_region_description_null_and_parents(self) -> None:
        for region in ("a", "b"):
            self.assertEqual(201, self.call("POST", "/regions",
                                            {"region": {"id": region}}).status_code)
        resp = self.call("PATCH", "/regions/a", {"region": {"description": None,
                                                            "parent_region_id": ""}})
        self.assertEqual((200, "", None), (resp.status_code, resp.json["region"]["description"],
                                           resp.json["region"]["parent_region_id"]))
        self.assertEqual(200, self.call("PATCH", "/regions/b", {"region": {
            "parent_region_id": "a"}}).status_code)
        for parent, status in (("missing", 404), ("b", 400), ("a", 400)):
            with self.subTest(parent=parent):
                resp = self.call("PATCH", "/regions/a", {"region": {"parent_region_id": parent}})
                self.assertEqual((status, status), (resp.status_code,
                                                    resp.json["error"]["code"]))

    def test_unknown_attributes_are_ignored_and_references_checked(self) -> None:
        service = self.call("POST", "/services", {"service": {
            "type": "thing", "x-extra": {}, "description": None}})
        self.assertEqual(201, service.status_code, service.text)
        service_id = service.json["service"]["id"]
        endpoint = self.call("POST", "/endpoints", {"endpoint": {
            "service_id": service_id, "interface": "public", "url": "http://t", "w": [1]}})
        self.assertEqual(201, endpoint.status_code, endpoint.text)
        path = f"/endpoints/{endpoint.json['endpoint']['id']}"
        self.assertEqual(404, self.call("PATCH", path, {"endpoint": {
            "service_id": "missing"}}).status_code)
        self.assertEqual(200, self.call("PATCH", path, {"endpoint": {
            "region_id": "new-region"}}).status_code)
        self.assertEqual(200, self.call("PATCH", f"/services/{service_id}", {"service": {
            "description": None}}).status_code)

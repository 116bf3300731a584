"""Flavors, keypairs, server groups, quotas and the admin resources (aggregates,
services, hypervisors, availability zones) through the compute API."""
from common.db.api import compute_hosts, services
from services.api.compute import keys
from tests.unit.base import compute_api as base
from tests.unit.base.network import ADMIN


class FlavorTest(base.ComputeAPITestCase):
    def create(self, **flavor: object) -> object:
        return self.request("POST", "/flavors", json={"flavor": {
            "name": "f", "ram": 64, "vcpus": 1, "disk": 1, **flavor}})

    def test_create_accepts_novas_loose_types_and_refuses_duplicates(self) -> None:
        resp = self.create(id=1234, ram="512", **{"os-flavor-access:is_public": "False"})
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual(("1234", 512, False, ""),
                         (resp.json["flavor"]["id"], resp.json["flavor"]["ram"],
                          resp.json["flavor"]["os-flavor-access:is_public"],
                          resp.json["flavor"]["swap"]))
        self.assertEqual(409, self.create(id=99).status_code)  # name taken
        for bad in ({"ram": 0}, {"ram": "x"}, {"name": " f"}, {"rxtx_factor": 0},
                    {"description": "d"}):
            self.assertEqual(400, self.create(**{"name": "g", **bad}).status_code, bad)
        self.assertEqual(403, self.request("POST", "/flavors", headers=self.demo, json={
            "flavor": {"name": "h", "ram": 64, "vcpus": 1, "disk": 1}}).status_code)

    def test_list_filters_visibility_and_paging(self) -> None:
        self.create(id="p", name="private", **{"os-flavor-access:is_public": False})

        def ids(query: str, headers: dict | None = None) -> list[str]:
            resp = self.request("GET", "/flavors/detail" + query, headers=headers)
            self.assertEqual(200, resp.status_code, resp.text)
            return [f["id"] for f in resp.json["flavors"]]

        self.assertEqual(["1", "2"], ids(""))
        self.assertEqual(["1", "2", "p"], ids("?is_public=None"))
        self.assertEqual(["p"], ids("?is_public=false"))
        self.assertEqual(["1", "2"], ids("?is_public=None", self.demo))  # ignored
        self.assertEqual(["2"], ids("?minRam=200"))
        self.assertEqual(400, self.request("GET", "/flavors?minRam=x").status_code)
        page = self.request("GET", "/flavors?limit=1").json
        self.assertEqual(["1"], [f["id"] for f in page["flavors"]])
        self.assertIn("marker=1", page["flavors_links"][0]["href"])
        self.assertEqual(["2"], ids("?marker=1"))
        self.request("POST", "/flavors/p/action", json={"addTenantAccess": {
            "tenant": self.demo_project()}})
        self.assertEqual(["1", "2", "p"], ids("", self.demo))
        self.assertEqual(409, self.request("POST", "/flavors/1/action", json={
            "addTenantAccess": {"tenant": "x"}}).status_code)
        self.assertEqual(404, self.request("GET", "/flavors/1/os-flavor-access").status_code)

    def test_extra_specs(self) -> None:
        path = "/flavors/1/os-extra_specs"
        resp = self.request("POST", path, json={"extra_specs": {"hw:a": 1, "b": True}})
        self.assertEqual({"hw:a": "1", "b": "True"}, resp.json["extra_specs"])
        self.assertEqual(400, self.request("PUT", path + "/hw:a",
                                           json={"other": "x"}).status_code)
        self.assertEqual({"hw:a": "2"}, self.request("PUT", path + "/hw:a",
                                                      json={"hw:a": "2"}).json)
        self.assertEqual(200, self.request("DELETE", path + "/hw:a").status_code)
        self.assertEqual(404, self.request("GET", path + "/hw:a").status_code)
        self.assertEqual({"b": "True"}, self.request("GET", path, headers=self.demo)
                         .json["extra_specs"])

    def demo_project(self) -> str:
        resp = self.client.simulate_get("/identity/v3/projects?name=demo",
                                        headers=self.admin)
        return resp.json["projects"][0]["id"]


class KeypairTest(base.ComputeAPITestCase):
    def test_generate_import_and_status_codes_per_version(self) -> None:
        made = self.request("POST", "/os-keypairs", headers=self.demo,
                            json={"keypair": {"name": "gen"}})
        self.assertEqual(200, made.status_code)
        self.assertIn("PRIVATE KEY", made.json["keypair"]["private_key"])
        public = keys.generate("ssh", "x")[1]
        imported = self.request("POST", "/os-keypairs", "2.2", self.demo,
                                json={"keypair": {"name": "imp", "public_key": public}})
        self.assertEqual((201, "ssh"), (imported.status_code,
                                        imported.json["keypair"]["type"]))
        self.assertEqual(keys.fingerprint(public, "ssh"),
                         imported.json["keypair"]["fingerprint"])
        x509 = self.request("POST", "/os-keypairs", "2.2", self.demo,
                            json={"keypair": {"name": "cert", "type": "x509"}})
        self.assertEqual(201, x509.status_code, x509.text)
        names = [k["keypair"]["name"] for k in self.request(
            "GET", "/os-keypairs", headers=self.demo).json["keypairs"]]
        self.assertEqual(["cert", "gen", "imp"], names)
        self.assertEqual([], self.request("GET", "/os-keypairs").json["keypairs"])  # per user
        self.assertEqual(202, self.request("DELETE", "/os-keypairs/gen",
                                           headers=self.demo).status_code)
        self.assertEqual(204, self.request("DELETE", "/os-keypairs/imp", "2.2",
                                           self.demo).status_code)

    def test_bad_keys_and_names(self) -> None:
        for keypair, status in (({"name": "k", "public_key": "ssh-rsa JUNK x"}, 400),
                                ({"name": "k", "public_key": " "}, 400),
                                ({"name": r"key_/.\@:"}, 400), ({"name": ""}, 400),
                                ({"name": "k", "type": "x509"}, 400)):
            resp = self.request("POST", "/os-keypairs", json={"keypair": keypair})
            self.assertEqual(status, resp.status_code, keypair)
        self.request("POST", "/os-keypairs", json={"keypair": {"name": "dup"}})
        self.assertEqual(409, self.request("POST", "/os-keypairs",
                                           json={"keypair": {"name": "dup"}}).status_code)


class ServerGroupAndQuotaTest(base.ComputeAPITestCase):
    def test_server_groups(self) -> None:
        resp = self.request("POST", "/os-server-groups", headers=self.demo, json={
            "server_group": {"name": "g", "policies": ["soft-affinity"]}})
        self.assertEqual(400, resp.status_code)  # soft policies from 2.15
        resp = self.request("POST", "/os-server-groups", "2.15", self.demo, json={
            "server_group": {"name": "g", "policies": ["soft-affinity"]}})
        group_id = resp.json["server_group"]["id"]
        self.assertEqual([group_id], [g["id"] for g in self.request(
            "GET", "/os-server-groups", headers=self.demo).json["server_groups"]])
        self.assertEqual([], self.request("GET", "/os-server-groups").json["server_groups"])
        self.assertEqual(1, len(self.request("GET", "/os-server-groups?all_projects=1")
                                .json["server_groups"]))
        self.flags("quota", server_groups=1)
        self.assertEqual(403, self.request("POST", "/os-server-groups", headers=self.demo,
                                           json={"server_group": {
                                               "name": "h", "policies": ["affinity"]}})
                         .status_code)

    def test_quota_sets_and_limits(self) -> None:
        self.boot(headers=self.demo)
        project = FlavorTest.demo_project(self)
        detail = self.request("GET", f"/os-quota-sets/{project}/detail",
                              headers=self.demo).json["quota_set"]
        self.assertEqual({"limit": 20, "in_use": 1, "reserved": 0}, detail["cores"])
        self.assertEqual(403, self.request("PUT", f"/os-quota-sets/{project}",
                                           headers=self.demo,
                                           json={"quota_set": {"cores": 5}}).status_code)
        self.assertEqual(400, self.request("PUT", f"/os-quota-sets/{project}", json={
            "quota_set": {"cores": 0}}).status_code)  # below what is used
        resp = self.request("PUT", f"/os-quota-sets/{project}",
                            json={"quota_set": {"cores": 0, "force": True}})
        self.assertEqual(0, resp.json["quota_set"]["cores"])
        limits = self.request("GET", "/limits", headers=self.demo).json["limits"]["absolute"]
        self.assertEqual((0, 1), (limits["maxTotalCores"], limits["totalCoresUsed"]))
        self.assertEqual(202, self.request("DELETE", f"/os-quota-sets/{project}").status_code)
        quota = self.request("GET", f"/os-quota-sets/{project}", "2.57").json["quota_set"]
        self.assertEqual(20, quota["cores"])
        self.assertNotIn("injected_files", quota)


class AdminResourceTest(base.ComputeAPITestCase):
    def test_admin_only(self) -> None:
        for path in ("/os-hypervisors", "/os-services", "/os-aggregates",
                     "/os-availability-zone/detail"):
            self.assertEqual(403, self.request("GET", path, headers=self.demo).status_code)
        zones = self.request("GET", "/os-availability-zone", headers=self.demo).json
        self.assertEqual([{"zoneName": "nova", "zoneState": {"available": True},
                           "hosts": None}], zones["availabilityZoneInfo"])

    def test_aggregate_makes_an_availability_zone(self) -> None:
        created = self.request("POST", "/os-aggregates", json={"aggregate": {
            "name": "a", "availability_zone": "az1"}}).json["aggregate"]
        path = f"/os-aggregates/{created['id']}/action"
        self.assertEqual(404, self.request("POST", path, json={
            "add_host": {"host": "nowhere"}}).status_code)
        resp = self.request("POST", path, json={"add_host": {"host": base.HOST}})
        self.assertEqual([base.HOST], resp.json["aggregate"]["hosts"])
        self.scheduler.sync_host_metadata.assert_called()
        zones = self.request("GET", "/os-availability-zone").json["availabilityZoneInfo"]
        self.assertEqual(["az1"], [z["zoneName"] for z in zones])
        self.assertEqual(400, self.request("DELETE", f"/os-aggregates/{created['id']}")
                         .status_code)  # still has a host

    def test_services_disable_and_hypervisor_views(self) -> None:
        resp = self.request("PUT", "/os-services/disable-log-reason", json={
            "host": base.HOST, "binary": "nova-compute", "disabled_reason": "maint"})
        self.assertEqual({"host": base.HOST, "binary": "nova-compute",
                          "status": "disabled", "disabled_reason": "maint"},
                         resp.json["service"])
        hypervisor = self.request("GET", "/os-hypervisors/detail", "2.53").json[
            "hypervisors"][0]
        self.assertEqual(("disabled", "fake", "192.0.2.10", {"arch": "x86_64"}),
                         (hypervisor["status"], hypervisor["hypervisor_type"],
                          hypervisor["host_ip"], hypervisor["cpu_info"]))
        listed = self.request("GET", "/os-services?binary=nova-compute").json["services"]
        self.assertEqual([base.HOST], [row["host"] for row in listed])
        service = services.list_services(ADMIN, binary="strato-compute")[0]
        resp = self.request("PUT", f"/os-services/{service.uuid}", "2.53",
                            json={"status": "enabled"})
        self.assertEqual("enabled", resp.json["service"]["status"])
        self.boot()
        self.assertEqual(409, self.request("DELETE", f"/os-services/{service.uuid}",
                                           "2.53").status_code)
        stats = self.request("GET", "/os-hypervisors/statistics").json
        self.assertEqual(1, stats["hypervisor_statistics"]["running_vms"])
        others = [node for node in compute_hosts.list_nodes(ADMIN) if node.host != base.HOST]
        self.assertEqual([], others)

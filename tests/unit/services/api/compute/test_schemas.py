"""Every compute body the API produces matches Tempest's schema of the microversion
asked for, at every version where some schema or view changes, up to the maximum the
API advertises (Tempest rejects any extra field: additionalProperties is false)."""
import uuid

from common.db.api import compute_instances
from tests.unit.base import SYSTEM
from tests.unit.base import compute_api as base
from tests.unit.base import compute_oracle as oracle

# Where the request or view of this API changes without a Tempest schema change.
_OWN_CHANGES = ("2.5", "2.10", "2.15", "2.21", "2.35", "2.37", "2.38", "2.52")


def versions() -> list[str]:
    maximum = tuple(map(int, base.MAX.split(".")))
    own = [v for v in _OWN_CHANGES if tuple(map(int, v.split("."))) <= maximum]
    return sorted({*oracle.boundaries(base.MAX), *own},
                  key=lambda v: tuple(map(int, v.split("."))))


def minor(version: str) -> int:
    return int(version.split(".")[1])


class SchemaTest(base.ComputeAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags("quota", instances=-1, cores=-1, ram=-1, server_groups=-1)

    def check(self, name: str, schema: str, version: str, resp: object) -> None:
        try:
            oracle.check(name, schema, version, resp)
        except Exception as error:  # noqa: BLE001 - add the body to the failure
            self.fail(f"{name}.{schema} at {version}: {error}\n{resp.text[:2000]}")

    def call(self, method: str, path: str, version: str, **kwargs: object) -> object:
        resp = self.request(method, path, version, **kwargs)
        self.assertLess(resp.status_code, 300, f"{method} {path} at {version}: {resp.text}")
        return resp

    def test_discovery(self) -> None:
        root = self.client.simulate_get("/compute")
        self.check("versions", "list_versions", "2.1", root)
        self.assertEqual((base.MAX, "2.1"), (root.json["versions"][0]["version"],
                                             root.json["versions"][0]["min_version"]))
        self.check("versions", "get_one_version", "2.1",
                   self.client.simulate_get("/compute/v2.1"))

    def test_flavors_keypairs_and_admin_resources(self) -> None:
        for version in versions():
            with self.subTest(version=version):
                self._flavors(version)
                self._keypairs(version)
                self._admin(version)

    def test_servers(self) -> None:
        for version in versions():
            with self.subTest(version=version):
                self._servers(version)

    def _flavors(self, v: str) -> None:
        self.check("flavors", "list_flavors", v, self.call("GET", "/flavors", v))
        self.check("flavors", "list_flavors_details", v,
                   self.call("GET", "/flavors/detail?is_public=None", v))
        self.check("flavors", "create_update_get_flavor_details", v,
                   self.call("GET", "/flavors/1", v))
        flavor = {"name": f"f-{v}", "ram": 64, "vcpus": 1, "disk": 0, "id": None}
        if minor(v) >= 55:
            flavor["description"] = "d"
        created = self.call("POST", "/flavors", v, json={"flavor": flavor})
        self.check("flavors", "create_update_get_flavor_details", v, created)
        flavor_id = created.json["flavor"]["id"]
        if minor(v) >= 55:
            self.check("flavors", "create_update_get_flavor_details", v, self.call(
                "PUT", f"/flavors/{flavor_id}", v, json={"flavor": {"description": "e"}}))
        self.check("flavor_extra_specs", "set_get_flavor_extra_specs", v, self.call(
            "POST", f"/flavors/{flavor_id}/os-extra_specs", v,
            json={"extra_specs": {"hw:cpu": "1"}}))
        self.check("flavor_extra_specs", "set_get_flavor_extra_specs_key", v, self.call(
            "GET", f"/flavors/{flavor_id}/os-extra_specs/hw:cpu", v))
        self.check("flavor_extra_specs", "unset_flavor_extra_specs", v, self.call(
            "DELETE", f"/flavors/{flavor_id}/os-extra_specs/hw:cpu", v))
        self.check("flavors", "delete_flavor", v,
                   self.call("DELETE", f"/flavors/{flavor_id}", v))
        private = self.call("POST", "/flavors", v, json={"flavor": {
            "name": f"p-{v}", "ram": 64, "vcpus": 1, "disk": 0,
            "os-flavor-access:is_public": False}}).json["flavor"]["id"]
        self.check("flavors_access", "add_remove_list_flavor_access", v, self.call(
            "POST", f"/flavors/{private}/action", v,
            json={"addTenantAccess": {"tenant": "p1"}}))
        self.check("flavors_access", "add_remove_list_flavor_access", v, self.call(
            "GET", f"/flavors/{private}/os-flavor-access", v))

    def _keypairs(self, v: str) -> None:
        name = f"k-{v}".replace(".", "-")
        created = self.call("POST", "/os-keypairs", v, json={"keypair": {"name": name}})
        self.check("keypairs", "create_keypair", v, created)
        self.assertIn("private_key", created.json["keypair"])
        self.check("keypairs", "list_keypairs", v, self.call("GET", "/os-keypairs", v))
        self.check("keypairs", "get_keypair", v, self.call("GET", f"/os-keypairs/{name}", v))
        self.check("keypairs", "delete_keypair", v,
                   self.call("DELETE", f"/os-keypairs/{name}", v))

    def _admin(self, v: str) -> None:
        self.check("hypervisors", "list_search_hypervisors", v,
                   self.call("GET", "/os-hypervisors", v))
        detail = self.call("GET", "/os-hypervisors/detail", v)
        self.check("hypervisors", "list_hypervisors_detail", v, detail)
        hypervisor_id = detail.json["hypervisors"][0]["id"]
        self.check("hypervisors", "get_hypervisor", v,
                   self.call("GET", f"/os-hypervisors/{hypervisor_id}", v))
        self.check("hypervisors", "get_hypervisor_statistics", v,
                   self.call("GET", "/os-hypervisors/statistics", v))
        services = self.call("GET", "/os-services", v)
        self.check("services", "list_services", v, services)
        if minor(v) >= 53:
            service_id = services.json["services"][0]["id"]
            self.check("services", "update_service", v, self.call(
                "PUT", f"/os-services/{service_id}", v, json={"status": "enabled"}))
        else:
            self.check("services", "enable_disable_service", v, self.call(
                "PUT", "/os-services/enable", v,
                json={"host": base.HOST, "binary": "nova-compute"}))
        self.check("availability_zone", "list_availability_zone_list", v,
                   self.call("GET", "/os-availability-zone", v))
        self.check("availability_zone", "list_availability_zone_list_detail", v,
                   self.call("GET", "/os-availability-zone/detail", v))
        self._aggregates(v)
        project = self.call("GET", "/limits", v)
        self.check("limits", "get_limit", v, project)
        project_id = uuid.uuid4().hex
        for path, schema in (("", "get_quota_set"), ("/detail", "get_quota_set_details"),
                             ("/defaults", "get_quota_set")):
            self.check("quotas", schema, v,
                       self.call("GET", f"/os-quota-sets/{project_id}{path}", v))
        self.check("quotas", "update_quota_set", v, self.call(
            "PUT", f"/os-quota-sets/{project_id}", v, json={"quota_set": {"cores": 30}}))
        self.check("quotas", "delete_quota", v,
                   self.call("DELETE", f"/os-quota-sets/{project_id}", v))

    def _aggregates(self, v: str) -> None:
        created = self.call("POST", "/os-aggregates", v, json={"aggregate": {
            "name": f"agg-{v}", "availability_zone": f"az-{v}"}})
        self.check("aggregates", "create_aggregate", v, created)
        path = f"/os-aggregates/{created.json['aggregate']['id']}"
        self.check("aggregates", "aggregate_add_remove_host", v, self.call(
            "POST", path + "/action", v, json={"add_host": {"host": base.HOST}}))
        self.check("aggregates", "aggregate_set_metadata", v, self.call(
            "POST", path + "/action", v, json={"set_metadata": {"metadata": {"a": "b"}}}))
        self.check("aggregates", "list_aggregates", v, self.call("GET", "/os-aggregates", v))
        self.check("aggregates", "update_aggregate", v, self.call(
            "PUT", path, v, json={"aggregate": {"name": f"agg2-{v}"}}))
        self.check("aggregates", "aggregate_add_remove_host", v, self.call(
            "POST", path + "/action", v, json={"remove_host": {"host": base.HOST}}))
        self.check("aggregates", "get_aggregate", v, self.call("GET", path, v))
        self.check("aggregates", "delete_aggregate", v, self.call("DELETE", path, v))

    def _servers(self, v: str) -> None:
        body = {"name": f"vm-{v}", "imageRef": self.image.id, "flavorRef": "1",
                "metadata": {"a": "b"}}
        if minor(v) >= 37:
            body["networks"] = "none"
        created = self.call("POST", "/servers", v, json={"server": body}, headers=self.demo)
        # Tempest checks a create against the 2.1 schema whatever the version.
        self.check("servers", "create_server_with_admin_pass", "2.1", created)
        server_id = created.json["server"]["id"]
        path = f"/servers/{server_id}"
        for headers in (self.admin, self.demo):
            self.check("servers", "get_server", v,
                       self.call("GET", path, v, headers=headers))  # BUILD
        self.activate(server_id)
        self.check("servers", "list_servers", v, self.call("GET", "/servers", v))
        for headers in (self.admin, self.demo):
            self.check("servers", "list_servers_detail", v,
                       self.call("GET", "/servers/detail", v, headers=headers))
            self.check("servers", "get_server", v, self.call("GET", path, v, headers=headers))
        self.check("servers", "update_server", v,
                   self.call("PUT", path, v, json={"server": {"name": "renamed"}}))
        self._server_subresources(v, server_id)
        self._server_actions(v, server_id)
        self.check("servers", "delete_server", v, self.call("DELETE", path, v))
        compute_instances.soft_delete(SYSTEM, server_id)  # what the conductor would do

    def _server_subresources(self, v: str, server_id: str) -> None:
        path = f"/servers/{server_id}"
        self.check("servers", "list_server_metadata", v,
                   self.call("GET", path + "/metadata", v))
        self.check("servers", "set_server_metadata", v, self.call(
            "PUT", path + "/metadata", v, json={"metadata": {"c": "d"}}))
        self.check("servers", "update_server_metadata", v, self.call(
            "POST", path + "/metadata", v, json={"metadata": {"e": "f"}}))
        self.check("servers", "set_show_server_metadata_item", v, self.call(
            "PUT", path + "/metadata/g", v, json={"meta": {"g": "h"}}))
        self.check("servers", "set_show_server_metadata_item", v,
                   self.call("GET", path + "/metadata/g", v))
        self.check("servers", "delete_server_metadata_item", v,
                   self.call("DELETE", path + "/metadata/g", v))
        self.check("servers", "list_addresses", v, self.call("GET", path + "/ips", v))
        actions = self.call("GET", path + "/os-instance-actions", v)
        self.check("servers", "list_instance_actions", v, actions)
        request_id = actions.json["instanceActions"][0]["request_id"]
        for headers in (self.admin, self.demo):
            self.check("servers", "show_instance_action", v, self.call(
                "GET", f"{path}/os-instance-actions/{request_id}", v, headers=headers))
        if minor(v) >= 26:
            self.check("servers", "update_all_tags", v, self.call(
                "PUT", path + "/tags", v, json={"tags": ["a", "b"]}))
            self.check("servers", "update_tag", v, self.call("PUT", path + "/tags/c", v))
            self.check("servers", "check_tag_existence", v,
                       self.call("GET", path + "/tags/c", v))
            self.check("servers", "list_tags", v, self.call("GET", path + "/tags", v))
            self.check("servers", "delete_tag", v, self.call("DELETE", path + "/tags/c", v))
            self.check("servers", "get_server", v, self.call("GET", path, v))
            self.check("servers", "delete_all_tags", v,
                       self.call("DELETE", path + "/tags", v))

    def _server_actions(self, v: str, server_id: str) -> None:
        path = f"/servers/{server_id}/action"
        self.check("servers", "get_console_output", v, self.call(
            "POST", path, v, json={"os-getConsoleOutput": {"length": 10}}))
        self.check("servers", "server_actions_common_schema", v,
                   self.call("POST", path, v, json={"lock": None}))
        self.check("servers", "server_actions_common_schema", v,
                   self.call("POST", path, v, json={"unlock": None}))
        self.check("images", "create_image", v, self.call(
            "POST", path, v, json={"createImage": {"name": f"snap-{v}"}}))
        self.activate(server_id)
        rebuild = {"imageRef": self.image.id, "name": "rebuilt"}
        self.check("servers", "rebuild_server_with_admin_pass", v,
                   self.call("POST", path, v, json={"rebuild": rebuild}))
        self.activate(server_id)
        self.check("servers", "server_actions_common_schema", v,
                   self.call("POST", path, v, json={"os-stop": None}))
        self.activate(server_id)
        self.check("servers", "server_actions_common_schema", v, self.call(
            "POST", path, v, json={"reboot": {"type": "HARD"}}))
        self.activate(server_id)
        self.check("servers", "server_actions_common_schema", v, self.call(
            "POST", path, v, json={"resize": {"flavorRef": "2"}}))
        self.activate(server_id, vm_state="resized")
        self.check("servers", "server_actions_confirm_resize", v, self.call(
            "POST", path, v, json={"confirmResize": None}))
        self.activate(server_id)
        policy = ({"policy": "anti-affinity", "rules": {"max_server_per_host": 2}}
                  if tuple(map(int, v.split("."))) >= (2, 64)
                  else {"policies": ["anti-affinity"]})
        group = self.call("POST", "/os-server-groups", v, json={"server_group": {
            "name": "g", **policy}})
        self.check("server_groups", "create_show_server_group", v, group)
        group_id = group.json["server_group"]["id"]
        self.check("server_groups", "create_show_server_group", v,
                   self.call("GET", f"/os-server-groups/{group_id}", v))
        self.check("server_groups", "list_server_groups", v,
                   self.call("GET", "/os-server-groups", v))
        self.check("server_groups", "delete_server_group", v,
                   self.call("DELETE", f"/os-server-groups/{group_id}", v))

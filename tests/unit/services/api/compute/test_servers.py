"""Servers through the compute API: create validates and checks quota before writing
anything and casts one build; lists filter, sort and page as Nova's; actions start the
right state change and RPC; other projects' servers are 404."""
import datetime

from common import context
from common.db.api import compute_actions, compute_instances
from common.db.api import images as images_db
from services.api.compute import keys
from tests.network_requests import network as networks
from tests.network_requests import network_ports as ports
from tests.network_requests import network_subnets as subnets
from tests.unit.base import SYSTEM
from tests.unit.base import compute_api as base
from tests.unit.base import compute_oracle as oracle


class ServerCreateTest(base.ComputeAPITestCase):
    def create(self, version: str | None = None, headers: dict | None = None,
               **server: object) -> object:
        body = {"server": {"name": "vm", "imageRef": self.image.id, "flavorRef": "1",
                           **server}}
        return self.request("POST", "/servers", version, headers or self.demo, json=body)

    def count(self) -> int:
        return len(compute_instances.list_instances(SYSTEM))

    def test_create_casts_one_build_with_the_request_spec(self) -> None:
        resp = self.create(min_count=2, max_count=2, metadata={"k": "v"},
                           accessIPv6="0000::1", **{"security_groups": [{"name": "default"}]})
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertIn("adminPass", resp.json["server"])
        self.conductor.build_instances.assert_called_once()
        _ctx, uuids, spec = self.conductor.build_instances.call_args.args
        self.assertEqual(2, len(uuids))
        self.assertEqual(("1", self.image.id, {"kernel_id": "k"}, ["default"]),
                         (spec["flavor"]["id"], spec["image"]["id"],
                          spec["image"]["properties"], spec["security_groups"]))
        names = sorted(i.display_name for i in compute_instances.list_instances(SYSTEM))
        self.assertEqual(["vm-1", "vm-2"], names)
        instance = compute_instances.get(SYSTEM, uuids[0])
        self.assertEqual(("::1", "building", "scheduling"),
                         (instance.access_ip_v6, instance.vm_state, instance.task_state))
        actions = compute_actions.list_actions(_ctx, uuids[0])
        self.assertEqual(["create"], [action.action for action in actions])

    def test_the_cli_block_device_mapping_is_an_image_boot(self) -> None:
        bdm = [{"uuid": self.image.id, "boot_index": 0, "source_type": "image",
                "destination_type": "local", "delete_on_termination": True}]
        resp = self.create(imageRef="", block_device_mapping_v2=bdm, networks="none",
                           version="2.60")
        self.assertEqual(202, resp.status_code, resp.text)
        volume = [{"uuid": self.image.id, "source_type": "volume",
                   "destination_type": "volume", "boot_index": 0}]
        self.assertEqual(400, self.create(block_device_mapping_v2=volume).status_code)

    def test_refusals_write_nothing(self) -> None:
        inactive = images_db.create(context.get_admin_context(),
                                    {"name": "q", "visibility": "public"})
        cases = [({"name": ""}, 400), ({"name": 12345}, 400), ({"name": "x" * 256}, 400),
                 ({"imageRef": "nope"}, 400), ({"imageRef": inactive.id}, 400),
                 ({"flavorRef": "99"}, 400), ({"key_name": "missing"}, 400),
                 ({"accessIPv4": "1.2.3"}, 400), ({"metadata": {"a": "b" * 260}}, 400),
                 ({"networks": [{"uuid": "a-b-c"}]}, 400),
                 ({"networks": [{"uuid": "9d4b1c9e-6b0b-4f0e-8c53-3c0a8b6f5d11"}]}, 400),
                 ({"security_groups": [{"name": "nope"}]}, 400),
                 ({"availability_zone": "nowhere"}, 400), ({"min_count": 3, "max_count": 2}, 400),
                 ({"user_data": "not base64!"}, 400), ({"bogus": 1}, 400),
                 ({"description": "d"}, 400)]
        for server, status in cases:
            with self.subTest(server=server):
                self.assertEqual(status, self.create(**server).status_code)
        self.assertEqual(400, self.create("2.37").status_code)  # networks required
        self.assertEqual(0, self.count())
        self.conductor.build_instances.assert_not_called()

    def test_flavor_smaller_than_the_image_is_400(self) -> None:
        images_db.update(context.get_admin_context(), self.image.id, {"min_ram": 512})
        resp = self.create()
        self.assertEqual(400, resp.status_code)
        self.assertIn("memory is too small", resp.json["badRequest"]["message"])

    def test_quota_is_403_with_novas_message(self) -> None:
        self.flags("quota", cores=1)
        self.assertEqual(202, self.create().status_code)
        resp = self.create()
        self.assertEqual(403, resp.status_code)
        self.assertEqual("Quota exceeded for cores: Requested 1, but already used 1 of 1 "
                         "cores", resp.json["forbidden"]["message"])
        self.assertEqual(1, self.count())

    def test_keypair_and_group_hint_reach_the_instance(self) -> None:
        public_key = keys.generate("ssh", "kp")[1]
        self.request("POST", "/os-keypairs", headers=self.demo,
                     json={"keypair": {"name": "kp", "public_key": public_key}})
        group = self.request("POST", "/os-server-groups", headers=self.demo, json={
            "server_group": {"name": "g", "policies": ["anti-affinity"]}}).json
        resp = self.request("POST", "/servers", headers=self.demo, json={
            "server": {"name": "vm", "imageRef": self.image.id, "flavorRef": "1",
                       "key_name": "kp"},
            "os:scheduler_hints": {"group": group["server_group"]["id"]}})
        self.assertEqual(202, resp.status_code, resp.text)
        spec = self.conductor.build_instances.call_args.args[2]
        self.assertEqual("anti-affinity", spec["instance_group"]["policy"])
        instance = compute_instances.get(SYSTEM, resp.json["server"]["id"])
        self.assertEqual(("kp", public_key), (instance.key_name, instance.key_data))


class ServerReadTest(base.ComputeAPITestCase):
    def test_show_by_name_is_404_and_other_projects_are_hidden(self) -> None:
        server = self.boot(headers=self.admin, name="mine")
        self.assertEqual(404, self.request("GET", "/servers/mine").status_code)
        for method in ("GET", "DELETE"):
            resp = self.request(method, f"/servers/{server['id']}", headers=self.demo)
            self.assertEqual(404, resp.status_code)
        resp = self.request("PUT", f"/servers/{server['id']}", headers=self.demo,
                            json={"server": {"name": "x"}})
        self.assertEqual(404, resp.status_code)

    def test_views_per_version(self) -> None:
        server = self.boot(headers=self.demo)
        path = f"/servers/{server['id']}"
        old = self.request("GET", path, headers=self.demo).json["server"]
        self.assertEqual({"id", "links"}, set(old["flavor"]))
        self.assertNotIn("OS-EXT-SRV-ATTR:host", old)
        self.assertNotIn("locked", old)
        new = self.request("GET", path, "2.47", headers=self.demo).json["server"]
        self.assertEqual("m1.nano", new["flavor"]["original_name"])
        self.assertEqual((False, None, []), (new["locked"], new["description"], new["tags"]))
        admin = self.request("GET", path, "2.16").json["server"]
        self.assertEqual((base.HOST, "UP"),
                         (admin["OS-EXT-SRV-ATTR:host"], admin["host_status"]))
        self.assertEqual([{"name": "default"}], new["security_groups"])

    def test_fault_details_of_a_500_only_for_admins(self) -> None:
        server = self.boot(headers=self.demo)
        compute_instances.set_error(SYSTEM, server["id"], 500, "No valid host", "trace")
        path = f"/servers/{server['id']}"
        fault = self.request("GET", path, headers=self.demo).json["server"]["fault"]
        self.assertEqual(("No valid host", 500), (fault["message"], fault["code"]))
        self.assertNotIn("details", fault)
        self.assertEqual("trace", self.request("GET", path).json["server"]["fault"]["details"])

    def test_filters_sorting_and_paging(self) -> None:
        ids = [self.boot(headers=self.demo, name=name)["id"]
               for name in ("alpha", "beta", "gamma")]
        self.request("POST", f"/servers/{ids[1]}/action", headers=self.demo,
                     json={"os-stop": None})
        compute_instances.update(SYSTEM, ids[1], {"vm_state": "stopped", "task_state": None})

        def names(query: str, version: str | None = None) -> list[str]:
            resp = self.request("GET", "/servers/detail?" + query, version, self.demo)
            self.assertEqual(200, resp.status_code, resp.text)
            return [s["name"] for s in resp.json["servers"]]

        self.assertEqual(["gamma", "beta", "alpha"], names(""))
        self.assertEqual(["alpha", "beta", "gamma"], names("sort_key=display_name&sort_dir=asc"))
        self.assertEqual(["gamma", "alpha"], names("name=^(al|ga)"))
        self.assertEqual(["beta"], names("status=shutoff"))
        self.assertEqual([], names("status=bogus"))
        self.assertEqual(400, self.request("GET", "/servers?status=bogus", "2.38",
                                           self.demo).status_code)
        self.assertEqual(["gamma", "beta", "alpha"], names(f"image={self.image.id}&flavor=1"))
        page = self.request("GET", "/servers?limit=2", headers=self.demo).json
        self.assertEqual(2, len(page["servers"]))
        self.assertIn(f"marker={ids[1]}", page["servers_links"][0]["href"])
        self.assertEqual(["alpha"], names(f"marker={ids[1]}"))
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
        self.assertEqual([], names(f"changes-since={later.strftime('%Y-%m-%dT%H:%M:%SZ')}"))
        self.assertEqual(403, self.request("GET", "/servers?all_tenants=1",
                                           headers=self.demo).status_code)
        self.assertEqual(3, len(self.request("GET", "/servers?all_tenants=1").json["servers"]))
        demo = self.request("GET", f"/servers/{ids[0]}").json["server"]["tenant_id"]
        # Nova ignores a project filter without all_tenants.
        self.assertEqual([], self.request("GET", f"/servers?tenant_id={demo}").json["servers"])
        self.assertEqual(3, len(self.request(
            "GET", f"/servers?all_tenants&tenant_id={demo}").json["servers"]))
        self.request("PUT", f"/servers/{ids[0]}/tags", "2.26", self.demo,
                     json={"tags": ["red", "big"]})
        self.assertEqual(["alpha"], names("tags=red,big", "2.26"))
        self.assertEqual(["gamma", "beta"], names("not-tags-any=red", "2.26"))


class ServerActionTest(base.ComputeAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.server = self.boot(headers=self.demo)
        self.path = f"/servers/{self.server['id']}/action"

    def act(self, body: dict, version: str | None = None, headers: dict | None = None):
        return self.request("POST", self.path, version, headers or self.demo, json=body)

    def state(self) -> tuple[str, str | None]:
        instance = compute_instances.get(SYSTEM, self.server["id"])
        return instance.vm_state, instance.task_state

    def test_power_actions_set_task_state_and_cast_to_the_host(self) -> None:
        for body, method, task in (({"os-stop": None}, "stop_instance", "powering-off"),
                                   ({"pause": None}, "pause_instance", "pausing"),
                                   ({"suspend": None}, "suspend_instance", "suspending"),
                                   ({"reboot": {"type": "HARD"}}, "reboot_instance",
                                    "rebooting_hard")):
            with self.subTest(body=body):
                self.assertEqual(202, self.act(body).status_code)
                self.assertEqual(("active", task), self.state())
                self.assertEqual(base.HOST, getattr(self.compute, method).call_args.args[1])
                if "reboot" not in body:  # a HARD reboot may be asked again, as in Nova
                    self.assertEqual(409, self.act(body).status_code)  # in progress
                self.activate(self.server["id"])
        self.assertEqual(409, self.act({"os-start": None}).status_code)  # not stopped

    def test_resize_confirm_revert(self) -> None:
        self.assertEqual(400, self.act({"resize": {"flavorRef": "1"}}).status_code)
        self.assertEqual(400, self.act({"resize": {"flavorRef": "99"}}).status_code)
        self.assertEqual(400, self.act({"resize": {"flavorRef": None}}).status_code)
        self.assertEqual(202, self.act({"resize": {"flavorRef": "2"}}).status_code)
        self.assertEqual("2", self.conductor.resize_instance.call_args.args[2]["id"])
        self.activate(self.server["id"], vm_state="resized")
        self.assertEqual(204, self.act({"confirmResize": None}).status_code)
        self.conductor.confirm_resize.assert_called_once()
        self.activate(self.server["id"], vm_state="resized")
        self.assertEqual(202, self.act({"revertResize": None}).status_code)
        self.assertEqual(("resized", "resize_reverting"), self.state())

    def test_create_image_makes_a_queued_private_image(self) -> None:
        resp = self.act({"createImage": {"name": "snap", "metadata": {"m": "1"}}}, "2.45")
        self.assertEqual(202, resp.status_code, resp.text)
        image = images_db.get(context.get_admin_context(), resp.json["image_id"])
        self.assertEqual(("queued", "private", "1", "snapshot", "k"),
                         (image.status, image.visibility, image.properties["m"],
                          image.properties["image_type"], image.properties["kernel_id"]))
        self.assertEqual(image.id, self.compute.snapshot_instance.call_args.args[3])
        old = self.act({"createImage": {"name": "snap"}})
        self.assertEqual(409, old.status_code)  # a snapshot is in progress

    def test_create_backup_rotates(self) -> None:
        made = []
        for index in range(3):
            self.activate(self.server["id"])
            resp = self.act({"createBackup": {"name": f"b{index}", "backup_type": "daily",
                                              "rotation": 2}}, "2.45")
            self.assertEqual(202, resp.status_code, resp.text)
            made.append(resp.json["image_id"])
        left = {image.id for image in images_db.list_images(context.get_admin_context())}
        self.assertEqual({self.image.id, made[1], made[2]}, left)

    def test_console_output_lock_and_security_groups(self) -> None:
        resp = self.act({"os-getConsoleOutput": {"length": "-1"}})
        self.assertEqual({"output": "booted\nline2\n"}, resp.json)
        self.assertIsNone(self.compute.get_console_output.call_args.args[3])
        self.assertEqual(202, self.act({"lock": None}).status_code)
        self.assertEqual(409, self.act({"os-stop": None}).status_code)
        self.assertEqual(409, self.request("DELETE", f"/servers/{self.server['id']}",
                                           headers=self.demo).status_code)
        self.assertEqual(202, self.act({"unlock": None}).status_code)
        self.assertEqual(202, self.act({"removeSecurityGroup": {"name": "default"}})
                         .status_code)
        shown = self.request("GET", f"/servers/{self.server['id']}", headers=self.demo)
        self.assertNotIn("security_groups", shown.json["server"])
        self.assertEqual(404, self.act({"removeSecurityGroup": {"name": "default"}})
                         .status_code)

    def test_rebuild_replaces_image_metadata_and_name(self) -> None:
        resp = self.act({"rebuild": {"imageRef": self.image.id, "name": "new",
                                     "metadata": {"x": "y"}}})
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertEqual(("new", "REBUILD", {"x": "y"}),
                         (resp.json["server"]["name"], resp.json["server"]["status"],
                          resp.json["server"]["metadata"]))
        self.compute.rebuild_instance.assert_called_once()

    def test_rebuild_and_update_answer_plain_addresses_as_nova(self) -> None:
        """Nova's rebuild and update bodies carry addr and version only (Tempest's
        schemas refuse more); show has the OS-EXT-IPS attributes."""
        owner = compute_instances.get(SYSTEM, self.server["id"]).project_id
        project = context.RequestContext(project_id=owner, roles=["member"], overwrite=False)
        network = networks.create_network(project, {"name": "net"})
        subnets.create_subnet(project, {"network_id": network["id"], "cidr": "10.0.0.0/24",
                                        "ip_version": 4})
        ports.create_port(project, {"network_id": network["id"],
                                    "device_id": self.server["id"],
                                    "device_owner": "compute:nova"})
        plain = {"net": [{"addr": "10.0.0.2", "version": 4}]}
        rebuilt = self.act({"rebuild": {"imageRef": self.image.id}}, "2.60")
        oracle.check("servers", "rebuild_server_with_admin_pass", "2.60", rebuilt)
        self.assertEqual(plain, rebuilt.json["server"]["addresses"])
        self.activate(self.server["id"])
        path = f"/servers/{self.server['id']}"
        updated = self.request("PUT", path, "2.60", self.demo, json={"server": {"name": "n"}})
        oracle.check("servers", "update_server", "2.60", updated)
        self.assertEqual(plain, updated.json["server"]["addresses"])
        (shown,) = self.request("GET", path, "2.60", self.demo).json["server"]["addresses"][
            "net"]
        self.assertEqual({"addr", "version", "OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"},
                         set(shown))

    def test_unknown_action_and_missing_server(self) -> None:
        self.assertEqual(400, self.act({"fly": None}).status_code)
        resp = self.request("POST", "/servers/missing/action", json={"forceDelete": None})
        self.assertEqual(404, resp.status_code)

    def test_delete_from_any_state_casts_to_the_conductor(self) -> None:
        compute_instances.set_error(SYSTEM, self.server["id"], 500, "broken")
        resp = self.request("DELETE", f"/servers/{self.server['id']}", headers=self.demo)
        self.assertEqual(204, resp.status_code)
        self.assertEqual(("error", "deleting"), self.state())
        self.conductor.delete_instance.assert_called_once()

    def test_metadata(self) -> None:
        path = f"/servers/{self.server['id']}/metadata"
        self.request("PUT", path, headers=self.demo, json={"metadata": {"a": "1"}})
        self.request("POST", path, headers=self.demo, json={"metadata": {"b": "2"}})
        self.assertEqual({"a": "1", "b": "2"},
                         self.request("GET", path, headers=self.demo).json["metadata"])
        resp = self.request("PUT", path + "/c", headers=self.demo, json={"meta": {"d": "4"}})
        self.assertEqual(400, resp.status_code)
        self.assertEqual(204, self.request("DELETE", path + "/a",
                                           headers=self.demo).status_code)
        self.assertEqual(404, self.request("GET", path + "/a", headers=self.demo).status_code)
        self.flags("quota", metadata_items=2)
        resp = self.request("POST", path, headers=self.demo,
                            json={"metadata": {"e": "5", "f": "6"}})
        self.assertEqual(403, resp.status_code)

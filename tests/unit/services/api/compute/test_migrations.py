"""The migration actions and resources of the compute API: os-migrateLive and migrate
(admins only, their bodies by microversion, the target host checked before anything
changes), /os-migrations and /servers/{id}/migrations."""
from common import context
from common.db.api import compute_instances, compute_migrations, services
from tests.unit.base import SYSTEM
from tests.unit.base import compute_api as base

OTHER = "compute-2"


class ActionTestCase(base.ComputeAPITestCase):
    """One server on base.HOST, and a second compute host that is up."""

    def setUp(self) -> None:
        super().setUp()
        self.server = self.boot(self.demo)
        self.path = f"/servers/{self.server['id']}/action"
        services.heartbeat(context.get_admin_context(), OTHER, "strato-compute", "compute",
                           "1.0")

    def act(self, body: dict, version: str = "2.60", headers: dict | None = None):
        return self.request("POST", self.path, version, headers or self.admin, json=body)

    def state(self) -> tuple[str, str | None]:
        instance = compute_instances.get(SYSTEM, self.server["id"])
        return instance.vm_state, instance.task_state


class MigrationActionsTest(ActionTestCase):
    def live(self, host: str | None, **extra) -> dict:
        return {"os-migrateLive": {"host": host, "block_migration": "auto", **extra}}

    def test_live_migration_casts_to_the_conductor(self) -> None:
        self.assertEqual(202, self.act(self.live(OTHER)).status_code)
        self.assertEqual(("active", "migrating"), self.state())
        self.conductor.live_migrate_instance.assert_called_once_with(
            self.conductor.live_migrate_instance.call_args.args[0], self.server["id"],
            OTHER, True, False)
        resp = self.request("GET", f"/servers/{self.server['id']}", "2.60")
        self.assertEqual("MIGRATING", resp.json["server"]["status"])

    def test_bad_live_migrations_change_nothing(self) -> None:
        cases = [
            (self.live("no-such-host"), "2.60", None, 400, "could not be found"),
            (self.live(base.HOST), "2.60", None, 400, "current host"),
            (self.live(OTHER, disk_over_commit=False), "2.60", None, 400, ""),
            ({"os-migrateLive": {"host": OTHER}}, "2.60", None, 400, ""),
            ({"os-migrateLive": {"host": OTHER, "block_migration": True}}, "2.1", None,
             400, ""),  # 2.1 needs disk_over_commit
            (self.live(OTHER), "2.60", self.demo, 403, ""),
            ({"migrate": {"host": OTHER}}, "2.55", None, 400, ""),
            ({"migrate": {"host": "no-such-host"}}, "2.60", None, 400, "could not be found"),
            ({"migrate": None}, "2.60", self.demo, 403, ""),
        ]
        for body, version, headers, status, message in cases:
            resp = self.act(body, version, headers)
            self.assertEqual(status, resp.status_code, (body, version, resp.text))
            self.assertIn(message, resp.text)
            (fault,) = resp.json.values()
            self.assertEqual(status, fault["code"])
        self.assertEqual(("active", None), self.state())
        self.conductor.live_migrate_instance.assert_not_called()
        self.conductor.migrate_instance.assert_not_called()

    def test_a_disabled_or_down_host_is_refused(self) -> None:
        (service,) = services.list_services(SYSTEM, host=OTHER)
        services.update(SYSTEM, service.uuid, disabled=True)
        self.assertEqual(400, self.act(self.live(OTHER)).status_code)
        services.update(SYSTEM, service.uuid, disabled=False, forced_down=True)
        resp = self.act({"migrate": {"host": OTHER}})
        self.assertEqual(400, resp.status_code)
        self.assertIn("unavailable", resp.text)
        self.assertEqual(("active", None), self.state())

    def test_states_nova_refuses(self) -> None:
        self.activate(self.server["id"], vm_state="suspended")
        self.assertEqual(409, self.act(self.live(None)).status_code)
        self.activate(self.server["id"], vm_state="paused")
        self.assertEqual(409, self.act({"migrate": None}).status_code)
        self.assertEqual(202, self.act(self.live(None)).status_code)  # paused: live is ok

    def test_cold_migration_casts_with_the_host_from_2_56(self) -> None:
        self.assertEqual(202, self.act({"migrate": None}, "2.1").status_code)
        self.assertEqual(("active", "resize_prep"), self.state())
        self.conductor.migrate_instance.assert_called_once()
        self.assertIsNone(self.conductor.migrate_instance.call_args.args[2])


class MigrationListTest(base.ComputeAPITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.server = self.boot(self.demo)
        self.live = compute_migrations.create(SYSTEM, {
            "instance_uuid": self.server["id"], "status": "running",
            "migration_type": "live-migration", "source_compute": base.HOST,
            "dest_compute": OTHER, "old_flavor_id": "1", "new_flavor_id": "1"})
        self.cold = compute_migrations.create(SYSTEM, {
            "instance_uuid": self.server["id"], "status": "confirmed",
            "migration_type": "migration", "source_compute": OTHER,
            "dest_compute": base.HOST, "old_flavor_id": "1", "new_flavor_id": "1"})

    def test_os_migrations_by_microversion(self) -> None:
        resp = self.request("GET", "/os-migrations", "2.59")
        self.assertEqual(200, resp.status_code, resp.text)
        listed = resp.json["migrations"]
        self.assertEqual([self.cold.uuid, self.live.uuid], [m["uuid"] for m in listed])
        self.assertEqual(self.flavor.id, listed[0]["old_instance_type_id"])
        self.assertIn("links", listed[1])
        filtered = self.request("GET", "/os-migrations?migration_type=migration", "2.23")
        self.assertEqual(["migration"], [m["migration_type"]
                                         for m in filtered.json["migrations"]])
        self.assertNotIn("migration_type", self.request("GET", "/os-migrations").json[
            "migrations"][0])
        self.assertEqual(403, self.request("GET", "/os-migrations", headers=self.demo)
                         .status_code)

    def test_server_migrations_show_the_live_one_in_progress(self) -> None:
        path = f"/servers/{self.server['id']}/migrations"
        self.assertEqual(404, self.request("GET", path, "2.22").status_code)
        listed = self.request("GET", path, "2.23").json["migrations"]
        self.assertEqual([self.live.id], [m["id"] for m in listed])
        shown = self.request("GET", f"{path}/{self.live.id}", "2.23")
        self.assertEqual(self.server["id"], shown.json["migration"]["server_uuid"])
        self.assertEqual(404, self.request("GET", f"{path}/{self.cold.id}", "2.23")
                         .status_code)

    def test_abort_and_force_complete(self) -> None:
        path = f"/servers/{self.server['id']}/migrations"
        self.assertEqual(202, self.request("DELETE", f"{path}/{self.live.id}", "2.24")
                         .status_code)
        self.compute.live_migration_abort.assert_called_once()
        resp = self.request("DELETE", f"{path}/{self.cold.id}", "2.24")
        self.assertEqual(404, resp.status_code, resp.text)
        resp = self.request("POST", f"{path}/{self.live.id}/action", "2.22",
                            json={"force_complete": None})
        self.assertEqual(202, resp.status_code, resp.text)
        self.compute.live_migration_force_complete.assert_called_once()
        compute_migrations.update(SYSTEM, self.live.uuid, {"status": "completed"})
        resp = self.request("POST", f"{path}/{self.live.id}/action", "2.22",
                            json={"force_complete": None})
        self.assertEqual(400, resp.status_code, resp.text)

    def test_2_65_aborts_a_migration_before_it_runs(self) -> None:
        compute_migrations.update(SYSTEM, self.live.uuid, {"status": "preparing"})
        path = f"/servers/{self.server['id']}/migrations/{self.live.id}"
        self.assertEqual(400, self.request("DELETE", path, "2.64").status_code)
        self.assertEqual(202, self.request("DELETE", path, "2.65").status_code)
        self.assertEqual("cancelled", compute_migrations.get(SYSTEM, self.live.uuid).status)
        self.compute.live_migration_abort.assert_not_called()  # the conductor rolls back


class EvacuateActionTest(ActionTestCase):
    def force_down_source(self) -> None:
        ctxt = context.get_admin_context()
        (service,) = services.list_services(ctxt, binary="strato-compute", host=base.HOST)
        services.update(ctxt, service.uuid, forced_down=True)

    def test_a_server_of_an_up_host_is_refused(self) -> None:
        resp = self.act({"evacuate": {}}, "2.68")
        self.assertEqual(400, resp.status_code, resp.text)
        self.assertIn(f"Compute service of {base.HOST} is still in use", resp.text)
        self.assertEqual(("active", None), self.state())
        self.conductor.evacuate_instance.assert_not_called()

    def test_evacuate_casts_to_the_conductor(self) -> None:
        self.force_down_source()
        resp = self.act({"evacuate": {"host": OTHER}}, "2.68")
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertEqual(b"", resp.content)
        self.assertEqual(("active", "rebuilding"), self.state())
        self.conductor.evacuate_instance.assert_called_once_with(
            self.conductor.evacuate_instance.call_args.args[0], self.server["id"], OTHER,
            False)
        resp = self.request("GET", f"/servers/{self.server['id']}", "2.68")
        self.assertEqual("REBUILD", resp.json["server"]["status"])

    def test_before_2_14_the_answer_has_the_password(self) -> None:
        self.force_down_source()
        resp = self.act({"evacuate": {"onSharedStorage": False, "adminPass": "pw"}}, "2.1")
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertEqual({"adminPass": "pw"}, resp.json)

    def test_bad_evacuations_change_nothing(self) -> None:
        self.force_down_source()
        cases = [
            ({"evacuate": {}}, "2.1", None, 400, ""),  # onSharedStorage needed
            ({"evacuate": {"onSharedStorage": True}}, "2.1", None, 400, "not shared"),
            ({"evacuate": {"onSharedStorage": False}}, "2.14", None, 400, ""),
            ({"evacuate": {"host": OTHER, "force": True}}, "2.68", None, 400, ""),
            ({"evacuate": {"host": "no-such-host"}}, "2.68", None, 400, "could not be found"),
            ({"evacuate": {"host": base.HOST}}, "2.68", None, 400, "current host"),
            ({"evacuate": {}}, "2.68", self.demo, 403, ""),
        ]
        for body, version, headers, status, message in cases:
            resp = self.act(body, version, headers)
            self.assertEqual(status, resp.status_code, (body, version, resp.text))
            self.assertIn(message, resp.text)
        self.assertEqual(("active", None), self.state())
        self.conductor.evacuate_instance.assert_not_called()

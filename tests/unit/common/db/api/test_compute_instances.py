"""Instances: create, Nova's list filters and paging, guarded updates, actions, soft
delete, faults."""
import dataclasses
import datetime

from common import exceptions
from common.compute_states import TaskState, VMState
from common.db import models
from common.db.api import compute_actions, compute_instances, compute_server_groups
from common.db.types import utcnow
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes


class InstancesTest(base.DatabaseTestCase):
    def create(self, name: str = "vm", **values) -> str:
        return fakes.create_instance(fakes.flavor(), display_name=name, **values)

    def test_create_starts_building_with_a_create_action(self) -> None:
        uuid = self.create("My Server_1", metadata_items=[])
        instance = compute_instances.get(SYSTEM, uuid)
        self.assertEqual((VMState.BUILDING, TaskState.SCHEDULING, "my-server-1", "m1.test"),
                         (instance.vm_state, instance.task_state, instance.hostname,
                          instance.flavor_id))
        (action,) = compute_actions.list_actions(fakes.CONTEXT, uuid)
        self.assertEqual(("create", "req-test"), (action.action, action.request_id))
        data = compute_instances.to_dict(instance)
        self.assertEqual(f"instance-{instance.id:08x}", data["instance_name"])
        self.assertIsInstance(data["created_at"], str)

    def test_create_with_metadata_spec_and_group(self) -> None:
        group = compute_server_groups.create(fakes.CONTEXT, "g", "affinity")
        instance = compute_instances.create(SYSTEM,
            {"display_name": "vm", "project_id": "p", "user_id": "u",
             "flavor": fakes.flavor()}, metadata={"k": "v"}, request_spec={"a": 1},
            server_group_uuid=group.uuid, request_id="r")
        self.assertEqual({"k": "v"}, compute_instances.to_dict(instance)["metadata"])
        self.assertEqual({"a": 1}, compute_instances.get_request_spec(SYSTEM, instance.uuid))
        joined = compute_server_groups.group_of(fakes.CONTEXT, instance.uuid)
        self.assertEqual((group.uuid, [instance.uuid]), (joined.uuid, joined.members))
        with self.assertRaises(exceptions.ServerGroupNotFound):
            compute_instances.create(SYSTEM, {"display_name": "x", "project_id": "p",
                                      "user_id": "u", "flavor": fakes.flavor()},
                                     server_group_uuid="nope")

    def test_get_hides_deleted_and_other_projects(self) -> None:
        uuid = self.create()
        with self.assertRaises(exceptions.InstanceNotFound):
            compute_instances.get(SYSTEM, uuid, project_id="someone-else")
        compute_instances.soft_delete(SYSTEM, uuid)
        with self.assertRaises(exceptions.InstanceNotFound):
            compute_instances.get(SYSTEM, uuid)
        self.assertTrue(compute_instances.get(SYSTEM, uuid, read_deleted="yes").deleted)

    def test_list_filters(self) -> None:
        web = self.create("web-1", host="h1")
        self.create("db-1", host="h2")
        stopped = self.create("web-2", host="h1", vm_state=VMState.STOPPED, task_state=None)

        def names(**filters) -> list[str]:
            return sorted(i.display_name for i in compute_instances.list_instances(SYSTEM, filters))

        self.assertEqual(["web-1", "web-2"], names(name="^web"))
        self.assertEqual(["web-1", "web-2"], names(host="h1"))
        self.assertEqual(["web-2"], names(status="SHUTOFF"))
        self.assertEqual(["db-1", "web-1"], names(status="BUILD"))
        self.assertEqual(["db-1", "web-1", "web-2"], names(flavor="m1.test", image="image-1"))
        self.assertEqual([], names(status="NOPE"))
        compute_instances.soft_delete(SYSTEM, web)
        self.assertEqual(["db-1", "web-2"], names())
        since = utcnow() - datetime.timedelta(minutes=1)
        self.assertEqual(["db-1", "web-1", "web-2"], names(**{"changes-since": since}))
        self.assertEqual([stopped], [i.uuid for i in compute_instances.list_instances(SYSTEM,
            {"uuid": [stopped]})])

    def test_sorting_and_marker_paging(self) -> None:
        uuids = [self.create(f"vm{index}") for index in range(5)]
        pages, marker = [], None
        while True:
            page = compute_instances.list_instances(SYSTEM, limit=2, marker=marker,
                                                            sort_keys=["display_name"],
                                                            sort_dirs=["asc"])
            if not page:
                break
            pages.append([i.display_name for i in page])
            marker = page[-1].uuid
        self.assertEqual([["vm0", "vm1"], ["vm2", "vm3"], ["vm4"]], pages)
        newest_first = compute_instances.list_instances(SYSTEM)
        self.assertEqual(uuids[::-1], [i.uuid for i in newest_first])
        with self.assertRaises(exceptions.BadRequest):
            compute_instances.list_instances(SYSTEM, marker="missing")
        with self.assertRaises(exceptions.BadRequest):
            compute_instances.list_instances(SYSTEM, sort_keys=["user_data"])

    def test_update_guards_task_state(self) -> None:
        uuid = self.create()
        updated = compute_instances.update(SYSTEM, uuid, {"task_state": TaskState.SPAWNING},
                                                   expected_task_state=[TaskState.SCHEDULING])
        self.assertEqual(TaskState.SPAWNING, updated.task_state)
        with self.assertRaises(exceptions.UnexpectedTaskState):
            compute_instances.update(SYSTEM, uuid, {"vm_state": VMState.ACTIVE},
                                             expected_task_state=TaskState.SCHEDULING)
        compute_instances.update(SYSTEM, uuid, {"task_state": TaskState.DELETING})
        with self.assertRaises(exceptions.UnexpectedDeletingTaskState):
            compute_instances.update(SYSTEM, uuid, {"vm_state": VMState.ACTIVE},
                                             expected_task_state=[TaskState.SPAWNING])
        with self.assertRaises(exceptions.InstanceNotFound):
            compute_instances.update(SYSTEM, "missing", {"host": "x"})

    def test_update_takes_datetimes_off_the_wire(self) -> None:
        uuid = self.create()
        updated = compute_instances.update(SYSTEM, uuid, {"launched_at": "2026-11-23T10:00:00"})
        self.assertEqual(datetime.datetime(2026, 11, 23, 10), updated.launched_at)

    def test_begin_action_checks_states_and_records_the_action(self) -> None:
        uuid = self.create(vm_state=VMState.ACTIVE, task_state=None, host="h1")
        instance = compute_instances.begin_action(SYSTEM, uuid, "stop", "req-stop", "u", "p")
        self.assertEqual(TaskState.POWERING_OFF, instance.task_state)
        with self.assertRaises(exceptions.InstanceInvalidState) as raised:
            compute_instances.begin_action(SYSTEM, uuid, "reboot", "req-2", "u", "p")
        self.assertEqual(409, raised.exception.code)
        self.assertIn("task_state powering-off", raised.exception.msg)
        deleting = compute_instances.begin_action(SYSTEM, uuid, "delete", "req-del", "u", "p")
        self.assertEqual(TaskState.DELETING, deleting.task_state)
        actions = [a.action for a in compute_actions.list_actions(fakes.CONTEXT, uuid)]
        self.assertEqual({"create", "stop", "delete"}, set(actions))

    def test_action_events(self) -> None:
        uuid = self.create()
        self.assertTrue(compute_actions.event_start(fakes.CONTEXT, uuid, "req-test",
                                                    "compute_x", "h1"))
        compute_actions.event_finish(fakes.CONTEXT, uuid, "req-test", "compute_x",
                                     compute_actions.ERROR, "Traceback...")
        action, (event,) = compute_actions.get_action(fakes.CONTEXT, uuid, "req-test")
        self.assertEqual(("Error", "Error", "h1"), (action.message, event.result, event.host))
        self.assertFalse(compute_actions.event_start(fakes.CONTEXT, uuid, "unknown-req", "x", "h1"))

    def test_metadata(self) -> None:
        uuid = self.create()
        self.assertEqual({"a": "1", "b": "2"},
                         compute_instances.update_metadata(SYSTEM, uuid, {"a": "1", "b": "2"}))
        self.assertEqual({"a": "3", "b": "2"},
                         compute_instances.update_metadata(SYSTEM, uuid, {"a": "3"}))
        self.assertEqual({"c": "4"}, compute_instances.update_metadata(SYSTEM, uuid, {"c": "4"},
                                                                               replace=True))
        compute_instances.delete_metadata_key(SYSTEM, uuid, "c")
        with self.assertRaises(exceptions.NotFound):
            compute_instances.delete_metadata_key(SYSTEM, uuid, "c")

    def test_error_fault_and_soft_delete(self) -> None:
        uuid = self.create()
        compute_instances.set_error(SYSTEM, uuid, 500, "No valid host was found. ", "details")
        fault = compute_instances.latest_faults(SYSTEM, [uuid])[uuid]
        self.assertEqual((500, "No valid host was found. "), (fault.code, fault.message))
        self.assertEqual(VMState.ERROR, compute_instances.get(SYSTEM, uuid).vm_state)
        deleted = compute_instances.soft_delete(SYSTEM, uuid)
        self.assertEqual((VMState.DELETED, True), (deleted.vm_state, deleted.deleted))
        self.assertIsNone(compute_instances.soft_delete(SYSTEM, uuid))

    def test_for_host_and_usage(self) -> None:
        self.create(host="h1")
        self.create(host="h2")
        self.assertEqual(1, len(compute_instances.for_host(SYSTEM, "h1")))
        self.assertEqual({"instances": 2, "cores": 2, "ram": 1024},
                         compute_instances.usage(SYSTEM, fakes.PROJECT))


class InstanceRecordTest(base.TestCase):
    def test_the_record_carries_every_column(self) -> None:
        """to_dict (RPC payloads, notifications) is the record's fields: a column the
        record left out would be missing on the agents' side."""
        columns = {column.key for column in models.Instance.__table__.columns}
        fields = {field.name for field in dataclasses.fields(compute_instances.InstanceRecord)}
        self.assertEqual(columns | {"metadata"}, fields)

"""The conductor's flows as tasks: a failure midway is rolled back before it goes on
(or ends there when the flow expects it), so nothing stays held."""
from unittest import mock

import oslo_messaging as messaging

from common import context
from common.db.api import compute_instances, compute_migrations, placement
from services.compute import rpcapi as compute_rpcapi
from services.conductor.tasks.base import TaskBase
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud


class _Flow(TaskBase):
    handled = (LookupError,)

    def __init__(self, error: Exception) -> None:
        super().__init__(context.get_admin_context(), None)
        self.error = error
        self.rolled_back: list[Exception] = []

    def _execute(self) -> None:
        raise self.error

    def rollback(self, error: Exception) -> None:
        self.rolled_back.append(error)


class TaskBaseTest(base.TestCase):
    def test_an_unexpected_failure_is_rolled_back_then_raised(self) -> None:
        flow = _Flow(RuntimeError("broken"))
        with self.assertRaises(RuntimeError):
            flow.execute()
        self.assertEqual([flow.error], flow.rolled_back)

    def test_an_expected_failure_ends_with_its_rollback(self) -> None:
        flow = _Flow(KeyError("gone"))
        flow.execute()
        self.assertEqual([flow.error], flow.rolled_back)


class ResizeRollbackTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cloud = Cloud(self, ["a"])
        (self.uuid,) = self.cloud.boot()
        self.cloud.wait_active(self.uuid)

    def test_a_resize_whose_cast_fails_gives_everything_back(self) -> None:
        self.cloud.begin(self.uuid, "resize")
        lost = messaging.MessageDeliveryFailure("the broker went away")
        with mock.patch.object(compute_rpcapi.ComputeAPI, "resize_instance", autospec=True,
                               side_effect=lost):
            self.cloud.conductor.resize_instance(self.cloud.ctxt, self.uuid,
                                                 fakes.flavor(vcpus=2, name="bigger"))
            self.wait_until(lambda: compute_instances.get(SYSTEM, self.uuid).task_state is None,
                            message="resize rolled back")
        self.assertEqual({"a"}, set(placement.allocations_of(SYSTEM, self.uuid)))
        (migration,) = compute_migrations.list_migrations(self.cloud.ctxt,
                                                         instance_uuid=self.uuid)
        self.assertEqual("error", migration.status)
        self.assertEqual({}, placement.allocations_of(SYSTEM, migration.uuid))
        fault = compute_instances.latest_faults(SYSTEM, [self.uuid])[self.uuid]
        self.assertIn("broker", fault.message)

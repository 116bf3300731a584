"""Flows a dead conductor left half done: a build still scheduling and a delete still
deleting past [conductor] interrupted_task_timeout are done again, once; fresh ones are
left to the flow that owns them."""
import datetime

import sqlalchemy as sa

from common.compute_states import TaskState, VMState
from common.db import models, session
from common.db.api import compute_instances, placement
from common.db.types import utcnow
from services.compute import rpcapi as compute_rpcapi
from services.conductor.tasks import recover
from services.conductor.tasks.base import Services
from services.scheduler import claims
from services.scheduler import rpcapi as scheduler_rpcapi
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud

TIMEOUT = 60


def age(uuid: str, seconds: float) -> None:
    """The instance last changed ``seconds`` ago."""
    with session.transaction() as s:
        s.execute(sa.update(models.Instance).where(models.Instance.uuid == uuid)
                  .values(updated_at=utcnow() - datetime.timedelta(seconds=seconds)))


class RecoverTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags("conductor", interrupted_task_timeout=TIMEOUT)
        self.cloud = Cloud(self, ["a"])

    def recover(self) -> None:
        services = Services(scheduler_rpcapi.SchedulerAPI(), compute_rpcapi.ComputeAPI(),
                            "conductor")
        recover.RecoverTask(self.cloud.ctxt, services).execute()

    def lost_build(self, with_spec: bool = True) -> str:
        """An instance whose build cast was taken by a conductor that then died, after
        the scheduler had claimed for it."""
        flavor = fakes.flavor()
        uuid = fakes.create_instance(flavor)
        if with_spec:
            compute_instances.save_request_spec(SYSTEM, uuid, fakes.request_spec(flavor))
        claims.claim(SYSTEM, uuid, "a", placement.resources_for_flavor(flavor), None)
        return uuid

    def test_a_stale_build_is_scheduled_again_without_a_second_claim(self) -> None:
        uuid = self.lost_build()
        age(uuid, TIMEOUT + 1)
        self.recover()
        self.cloud.wait_active(uuid)
        self.assertIn(uuid, self.cloud.drivers["a"].guests)
        self.assertEqual(1, fakes.used("a")["VCPU"])

    def test_a_fresh_build_is_left_to_its_flow(self) -> None:
        uuid = self.lost_build()
        age(uuid, TIMEOUT - 10)
        self.recover()
        instance = self.cloud.instance(uuid)
        self.assertEqual((VMState.BUILDING, TaskState.SCHEDULING),
                         (instance.vm_state, instance.task_state))
        self.assertEqual({}, self.cloud.drivers["a"].guests)

    def test_a_build_without_its_request_goes_to_error_with_a_fault(self) -> None:
        uuid = self.lost_build(with_spec=False)
        age(uuid, TIMEOUT + 1)
        self.recover()
        self.cloud.wait_for(uuid, VMState.ERROR)
        fault = compute_instances.latest_faults(SYSTEM, [uuid])[uuid]
        self.assertIn("interrupted", fault.message)
        self.assertEqual({}, fakes.used("a"))

    def test_a_stale_delete_is_done_again(self) -> None:
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        compute_instances.update(SYSTEM, uuid, {"task_state": TaskState.DELETING})
        age(uuid, TIMEOUT + 1)
        self.recover()
        self.cloud.wait_deleted(uuid)
        self.assertNotIn(uuid, self.cloud.drivers["a"].guests)
        self.assertEqual({}, fakes.used("a"))

    def test_a_claim_made_after_the_delete_is_released(self) -> None:
        uuid = self.lost_build()
        compute_instances.soft_delete(SYSTEM, uuid)
        self.assertEqual(1, fakes.used("a")["VCPU"])
        self.recover()
        self.assertEqual({}, fakes.used("a"))


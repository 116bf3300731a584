"""Draining a fake host over the fake bus: running servers move live, a stopped one
cold (confirmed), one whose live migration fails cold too, and a server in a state
that cannot migrate stays with its reason."""
from common.compute_states import VMState
from common.db.api import compute_instances
from services.compute import drain
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base.conductor import Cloud


class DrainTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cloud = Cloud(self, ["a", "b"])
        self.uuids = self.cloud.boot(count=4, force_hosts=["a"])
        self.cloud.wait_active(*self.uuids)
        self.running, self.stopped, self.failing, self.suspended = self.uuids
        for uuid, action, method, state in (
                (self.stopped, "stop", "stop_instance", VMState.STOPPED),
                (self.suspended, "suspend", "suspend_instance", VMState.SUSPENDED)):
            self.cloud.act(uuid, action, method)
            self.cloud.wait_for(uuid, state)

    def test_every_server_that_can_move_leaves_the_host(self) -> None:
        driver = self.cloud.drivers["a"]
        real = driver.live_migration

        def fail_one(instance: dict, *args) -> None:
            if instance["uuid"] == self.failing:
                raise RuntimeError("no route to the destination")
            real(instance, *args)

        driver.live_migration = fail_one
        outcomes = {o.uuid: o for o in drain.drain(SYSTEM, "a", timeout=30)}
        self.assertEqual({self.running: "live-migrated", self.stopped: "cold-migrated",
                          self.failing: "cold-migrated", self.suspended: "not moved"},
                         {uuid: o.how for uuid, o in outcomes.items()})
        self.assertIn("no route to the destination", outcomes[self.failing].reason)
        self.assertIn("suspended", outcomes[self.suspended].reason)
        for uuid in (self.running, self.stopped, self.failing):
            instance = compute_instances.get(SYSTEM, uuid)
            self.assertEqual(("b", None), (instance.host, instance.task_state), uuid)
        self.assertEqual(VMState.STOPPED, compute_instances.get(SYSTEM, self.stopped).vm_state)
        self.assertEqual([self.suspended], [i.uuid for i in drain.servers_on(SYSTEM, "a")])

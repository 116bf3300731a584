"""DRS: the planner on given loads (spread, max_moves, server-group policies), and on
two fake hosts over the fake bus: the plan and its application by strato-manage, and
the conductors' periodic pass."""
import argparse
import contextlib
import io
import unittest

from common import resource_classes
from common.db.api import compute_instances, compute_migrations
from services.compute import drs
from services.manage import drs as manage_drs
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud

VCPU, MEMORY_MB = resource_classes.VCPU, resource_classes.MEMORY_MB
SMALL = {VCPU: 1, MEMORY_MB: 1000}


def loads(**used: int) -> dict[str, drs.HostLoad]:
    """Hosts of 10 vCPUs and 10,000 MB, each running ``used`` SMALL servers."""
    return {host: drs.HostLoad(host, "nova", {VCPU: 10, MEMORY_MB: 10000},
                               {VCPU: count, MEMORY_MB: 1000 * count})
            for host, count in used.items()}


def servers(host: str, count: int, group: str | None = None,
            policy: str | None = None) -> list[drs.Candidate]:
    return [drs.Candidate(f"{host}{index}", "", host, SMALL, group, policy)
            for index in range(count)]


class PlannerTest(unittest.TestCase):
    def test_moves_from_the_busiest_host_until_the_spread_is_under_the_threshold(
            self) -> None:
        hosts = loads(a=6, b=0, c=1)
        moves = drs.plan_moves(hosts, servers("a", 6) + servers("c", 1), 0.2, 10)
        self.assertEqual({"a"}, {move.source for move in moves})
        shares = [load.share for load in hosts.values()]
        self.assertLessEqual(max(shares) - min(shares), 0.2)
        self.assertEqual(3, len(moves))  # 6/0/1 -> 3/2/2

    def test_no_more_than_max_moves(self) -> None:
        self.assertEqual(1, len(drs.plan_moves(loads(a=6, b=0), servers("a", 6), 0.1, 1)))

    def test_a_balanced_zone_plans_nothing(self) -> None:
        self.assertEqual([], drs.plan_moves(loads(a=3, b=2), servers("a", 3), 0.2, 10))

    def test_affinity_members_stay_together(self) -> None:
        self.assertEqual([], drs.plan_moves(
            loads(a=6, b=0), servers("a", 6, "group", "affinity"), 0.2, 10))

    def test_anti_affinity_members_never_meet(self) -> None:
        hosts = loads(a=5, b=1, c=0)
        members = servers("a", 1, "group", "anti-affinity") + [
            drs.Candidate("b-member", "", "b", SMALL, "group", "anti-affinity")]
        moves = drs.plan_moves(hosts, members + servers("a", 4)[1:], 0.2, 10)
        self.assertTrue(moves)
        self.assertNotIn(("a0", "b"), [(move.uuid, move.dest) for move in moves])

    def test_a_server_too_big_for_the_idle_host_stays(self) -> None:
        hosts = loads(a=6, b=0)
        hosts["b"].capacity = {VCPU: 10, MEMORY_MB: 500}
        self.assertEqual([], drs.plan_moves(hosts, servers("a", 6), 0.2, 10))


class RebalanceTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # off until a test turns it on; passes every 0.5 s from the start
        self.flags(group="drs", threshold=0.2, max_moves=10, interval=0.5)
        self.cloud = Cloud(self, ["a", "b"])
        self.uuids = self.cloud.boot(fakes.flavor(memory_mb=4096), count=5,
                                     force_hosts=["a"])
        self.cloud.wait_active(*self.uuids)
        self.pinned = self.uuids[0]
        compute_instances.update_metadata(SYSTEM, self.pinned, {"drs": "false"})

    def spread(self) -> float:
        now = drs.plan(SYSTEM, max_moves=0)
        return now.spread(now.before)["nova"]

    def test_plan_then_apply_with_strato_manage(self) -> None:
        before = self.spread()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(0, manage_drs.plan(argparse.Namespace(threshold=None,
                                                                   max_moves=None)))
        self.assertIn("move 1:", out.getvalue())
        self.assertNotIn(self.pinned, out.getvalue())
        self.assertEqual(before, self.spread())  # a plan moves nothing

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(0, manage_drs.apply(argparse.Namespace(
                threshold=None, max_moves=None, timeout=30)))
        self.assertIn("[1/2]", out.getvalue())
        self.assertIn("live-migrated to b", out.getvalue())
        self.assertLessEqual(self.spread(), 0.2)
        self.assertEqual("a", self.cloud.instance(self.pinned).host)
        for uuid in self.uuids:
            instance = self.cloud.instance(uuid)
            self.assertEqual(("active", None), (instance.vm_state, instance.task_state))

    def test_the_periodic_pass_rebalances_when_enabled(self) -> None:
        self.flags(group="drs", enabled=True)
        self.wait_until(lambda: self.spread() <= 0.2 and not drs.moves_in_progress(SYSTEM),
                        timeout=30, message="the hosts rebalanced")
        moved = [u for u in self.uuids if self.cloud.instance(u).host == "b"]
        self.assertEqual(2, len(moved))
        for uuid in moved:
            (migration,) = compute_migrations.list_migrations(SYSTEM, instance_uuid=uuid)
            self.assertEqual(("live-migration", "completed"),
                             (migration.migration_type, migration.status))
            self.assertIn(uuid, self.cloud.drivers["b"].guests)
            self.assertNotIn(uuid, self.cloud.drivers["a"].guests)

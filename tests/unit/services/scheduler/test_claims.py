"""Placement accounting: capacity under ratios and reserved amounts, atomic claims that
never over-commit, even from many threads and processes at once."""
import multiprocessing
import threading
import uuid

from common import exceptions
from common.db.api import compute_server_groups, placement
from services.scheduler import claims
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes

RESOURCES = {"VCPU": 1, "MEMORY_MB": 256}


def _claim_many(host: str, count: int) -> int:
    won = 0
    for _ in range(count):
        if placement.claim(SYSTEM, str(uuid.uuid4()), host, RESOURCES) is not None:
            won += 1
    return won


def _claim_in_child(host: str, count: int, results) -> None:
    results.put(_claim_many(host, count))


class CapacityTest(base.DatabaseTestCase):
    def test_capacity_is_total_minus_reserved_times_ratio(self) -> None:
        self.assertEqual(14, placement.capacity(
            {"total": 8, "reserved": 1, "allocation_ratio": 2.0}))

    def test_claims_stop_at_capacity(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4, reserved=1, ratio=2.0),
                                       "MEMORY_MB": fakes.inventory(100000)})
        self.assertEqual(6, _claim_many("h1", 10))
        self.assertEqual(6, fakes.used("h1")["VCPU"])

    def test_max_unit_and_step_size(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": {**fakes.inventory(16), "max_unit": 4,
                                                "step_size": 2}})
        self.assertIsNone(placement.claim(SYSTEM, "c1", "h1", {"VCPU": 6}))
        self.assertIsNone(placement.claim(SYSTEM, "c2", "h1", {"VCPU": 3}))
        self.assertIsNotNone(placement.claim(SYSTEM, "c3", "h1", {"VCPU": 4}))

    def test_unknown_resource_class_or_host_does_not_fit(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4)})
        self.assertIsNone(placement.claim(SYSTEM, "c1", "h1", {"MEMORY_MB": 1}))
        self.assertIsNone(placement.claim(SYSTEM, "c1", "nowhere", {"VCPU": 1}))

    def test_claim_again_replaces_and_release_frees(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4)})
        placement.claim(SYSTEM, "c1", "h1", {"VCPU": 3})
        placement.claim(SYSTEM, "c1", "h1", {"VCPU": 4})  # its own 3 do not count against it
        self.assertEqual({"h1": {"VCPU": 4}}, placement.allocations_of(SYSTEM, "c1"))
        self.assertTrue(placement.release(SYSTEM, "c1"))
        self.assertEqual({}, fakes.used("h1"))
        self.assertFalse(placement.release(SYSTEM, "c1"))

    def test_every_change_bumps_the_generation(self) -> None:
        first = placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4)})
        self.assertEqual(first, placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4)}))
        claimed = placement.claim(SYSTEM, "c1", "h1", {"VCPU": 1})
        self.assertEqual(first + 1, claimed)
        placement.release(SYSTEM, "c1")
        self.assertEqual(claimed + 1, placement.get_provider(SYSTEM, "h1").generation)

    def test_unset_ratio_keeps_the_current_one_or_uses_the_initial(self) -> None:
        unset = {**fakes.inventory(4), "allocation_ratio": None,
                 "initial_allocation_ratio": 16.0}
        placement.set_inventory(SYSTEM, "h1", {"VCPU": unset})
        self.assertEqual(16.0, placement.get_inventories(SYSTEM, "h1")["VCPU"]["allocation_ratio"])
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4, ratio=2.0)})
        placement.set_inventory(SYSTEM, "h1", {"VCPU": unset})
        self.assertEqual(2.0, placement.get_inventories(SYSTEM, "h1")["VCPU"]["allocation_ratio"])

    def test_inventory_in_use_is_kept_and_provider_not_deleted(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(4),
                                       "MEMORY_MB": fakes.inventory(1024)})
        placement.claim(SYSTEM, "c1", "h1", {"VCPU": 1})
        placement.set_inventory(SYSTEM, "h1", {"MEMORY_MB": fakes.inventory(1024)})
        self.assertIn("VCPU", placement.get_inventories(SYSTEM, "h1"))
        with self.assertRaises(exceptions.ResourceProviderInUse):
            placement.delete_provider(SYSTEM, "h1")

    def test_move_allocations(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(8)})
        placement.claim(SYSTEM, "instance", "h1", {"VCPU": 2})
        placement.move_allocations(SYSTEM, "instance", "migration")
        self.assertEqual({}, placement.allocations_of(SYSTEM, "instance"))
        self.assertEqual({"h1": {"VCPU": 2}}, placement.allocations_of(SYSTEM, "migration"))


class ConcurrentClaimsTest(base.DatabaseTestCase):
    """Capacity 20 VCPU; far more claims than that race for it."""

    def setUp(self) -> None:
        super().setUp()
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(10, ratio=2.0),
                                       "MEMORY_MB": fakes.inventory(1 << 20)})

    def assert_not_overcommitted(self, won: int) -> None:
        self.assertEqual(20, won)
        self.assertEqual(20, fakes.used("h1")["VCPU"])

    def test_threads_never_overcommit(self) -> None:
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(_claim_many("h1", 8)))
                   for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assert_not_overcommitted(sum(results))

    def test_processes_never_overcommit(self) -> None:
        forked = multiprocessing.get_context("fork")
        results = forked.Queue()
        children = [forked.Process(target=_claim_in_child, args=("h1", 8, results))
                    for _ in range(4)]
        for child in children:
            child.start()
        won = sum(results.get(timeout=60) for _ in children)
        for child in children:
            child.join(10)
            self.assertEqual(0, child.exitcode)
        self.assert_not_overcommitted(won)


class GroupClaimsTest(base.DatabaseTestCase):
    def test_anti_affinity_is_rechecked_at_claim_time(self) -> None:
        fakes.add_host("h1")
        group = compute_server_groups.create(fakes.CONTEXT, "g", "anti-affinity")
        first = fakes.create_instance(fakes.flavor(), group_uuid=group.uuid)
        second = fakes.create_instance(fakes.flavor(), group_uuid=group.uuid)
        spec = compute_server_groups.to_spec(group)
        self.assertIsNotNone(claims.claim(SYSTEM, first, "h1", RESOURCES, spec))
        self.assertIsNone(claims.claim(SYSTEM, second, "h1", RESOURCES, spec))
        self.assertIsNotNone(claims.claim(SYSTEM, first, "h1", RESOURCES, spec))  # itself: fine

    def test_affinity_sticks_to_the_first_host(self) -> None:
        fakes.add_host("h1")
        fakes.add_host("h2")
        group = compute_server_groups.create(fakes.CONTEXT, "g", "affinity")
        spec = compute_server_groups.to_spec(group)
        first = fakes.create_instance(fakes.flavor(), group_uuid=group.uuid)
        second = fakes.create_instance(fakes.flavor(), group_uuid=group.uuid)
        self.assertIsNotNone(claims.claim(SYSTEM, first, "h2", RESOURCES, spec))
        self.assertIsNone(claims.claim(SYSTEM, second, "h1", RESOURCES, spec))
        self.assertIsNotNone(claims.claim(SYSTEM, second, "h2", RESOURCES, spec))

"""Leases: one holder at a time, renewed by it, taken over once lapsed."""
import time

from common.db.api import service_leases
from tests.unit import base
from tests.unit.base import SYSTEM


class LeaseTest(base.DatabaseTestCase):
    def test_one_holder_until_its_lease_lapses(self) -> None:
        self.assertTrue(service_leases.acquire(SYSTEM, "drs", "conductor-1", 0.5))
        self.assertFalse(service_leases.acquire(SYSTEM, "drs", "conductor-2", 0.5))
        self.assertTrue(service_leases.acquire(SYSTEM, "drs", "conductor-1", 0.5))
        self.assertTrue(service_leases.acquire(SYSTEM, "other", "conductor-2", 0.5))
        time.sleep(0.6)
        self.assertTrue(service_leases.acquire(SYSTEM, "drs", "conductor-2", 0.5))
        self.assertFalse(service_leases.acquire(SYSTEM, "drs", "conductor-1", 0.5))

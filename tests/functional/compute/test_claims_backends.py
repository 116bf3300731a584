"""Concurrent claims never over-commit on PostgreSQL and MariaDB either (generation
compare-and-swap under their isolation levels), nor break anti-affinity."""
import threading
import uuid

from common import context
from common.db import migration, session
from common.db.api import compute_server_groups, placement
from services.scheduler import claims
from tests.functional import fixtures
from tests.unit import base
from tests.unit.base import scheduler as fakes

SYSTEM = context.get_admin_context()

THREADS = 6
CLAIMS_PER_THREAD = 8


class ClaimsMixin:
    def database_url(self) -> str:
        raise NotImplementedError

    def setUp(self) -> None:
        super().setUp()
        self.flags("database", connection=self.database_url())
        self.addCleanup(session.dispose_all)  # before the database is dropped
        migration.sync()

    def race(self, target) -> None:
        threads = [threading.Thread(target=target) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)

    def test_concurrent_claims_stop_at_capacity(self) -> None:
        placement.set_inventory(SYSTEM, "h1", {"VCPU": fakes.inventory(10, reserved=2, ratio=2.5),
                                       "MEMORY_MB": fakes.inventory(1 << 20)})
        won: list[bool] = []

        def claim_some() -> None:
            for _ in range(CLAIMS_PER_THREAD):
                won.append(placement.claim(SYSTEM, str(uuid.uuid4()), "h1",
                                                   {"VCPU": 1, "MEMORY_MB": 64}) is not None)

        self.race(claim_some)
        self.assertEqual(THREADS * CLAIMS_PER_THREAD, len(won))
        self.assertEqual(20, sum(won))
        self.assertEqual(20, fakes.used("h1")["VCPU"])

    def test_concurrent_anti_affinity_members_take_distinct_hosts(self) -> None:
        fakes.add_host("h1")
        fakes.add_host("h2")
        group = compute_server_groups.create(fakes.CONTEXT, "g", "anti-affinity")
        spec = compute_server_groups.to_spec(group)
        members = [fakes.create_instance(fakes.flavor(), group_uuid=group.uuid)
                   for _ in range(THREADS)]
        placed: list[str] = []

        def claim_member() -> None:
            member = members.pop()
            for host in ("h1", "h2"):
                if claims.claim(SYSTEM, member, host, {"VCPU": 1}, spec) is not None:
                    placed.append(host)
                    return

        self.race(claim_member)
        self.assertEqual(["h1", "h2"], sorted(placed))


class PostgreSQLClaimsTest(ClaimsMixin, base.TestCase):
    def database_url(self) -> str:
        return fixtures.scratch_database(self, fixtures.POSTGRES_URL)


class MariaDBClaimsTest(ClaimsMixin, base.TestCase):
    def database_url(self) -> str:
        return fixtures.scratch_database(self, fixtures.MYSQL_URL)

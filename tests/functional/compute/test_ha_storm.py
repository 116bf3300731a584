"""A compute host killed (SIGKILL) in a storm of 100 servers, 30 of them highly
available, on ten fake hosts, with one conductor and then with two, on the real broker
and PostgreSQL: the HA monitor fences the host and every HA server is ACTIVE on
another host, built there exactly once (one evacuation, one guest), no host
over-committed and no allocation left that no server holds.

Processes: the conductor(s), a scheduler, the victim's compute agent alone (40
servers: the 30 HA and 10 others), and one agent serving the nine other fake hosts
([compute] fake_hosts), which have room for 12 servers each and get the other 60. The
fake driver keeps each host's guests in a file ([compute] fake_keep_guests), which the
test reads to count where each server runs. This process plays the api.
"""
import collections
import json
import os
import time

from common import context
from common.compute_states import VMState
from common.db import session
from common.db.api import compute_actions, compute_instances, compute_migrations, placement
from tests.functional import fixtures
from tests.functional.fixtures.fake_hosts import FakeHosts

SYSTEM = context.get_admin_context()
VICTIM = "storm-victim"
OTHERS = [f"storm{index:02d}" for index in range(1, 10)]
PER_HOST, ON_VICTIM, HIGHLY_AVAILABLE, SERVERS = 12, 40, 30, 100
HOST_DOWN_AFTER = 10
FLAVOR = {"id": "storm", "name": "storm", "vcpus": 1, "memory_mb": 512, "root_gb": 1,
          "ephemeral_gb": 0, "swap": 0, "extra_specs": {}}
HA_FLAVOR = {**FLAVOR, "id": "storm-ha", "name": "storm-ha",
             "extra_specs": {"ha:enabled": "true"}}
PROJECT, USER = "storm-project", "storm-user"
# Heartbeats every 2 s: eleven agents and 100 builds keep the database busy.
STORM_CONFIG = f"""[DEFAULT]
report_interval = 2
service_down_time = 20

[compute]
compute_driver = fake
fake_keep_guests = true
reserved_host_memory_mb = 512
update_resources_interval = 600

[ha]
host_down_after = {HOST_DOWN_AFTER}
check_interval = 1
"""


def room_for(servers: int) -> str:
    return f"[compute]\nfake_memory_mb = {servers * 512 + 512}\n"


class HAStormTest(fixtures.DeploymentTestCase):
    database = "postgresql"
    conductors = 1

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cloud = FakeHosts(cls.deployment, STORM_CONFIG)
        for index in range(cls.conductors):
            cls.cloud.start("strato-conductor", f"conductor-{index}", with_database=True)
        cls.cloud.start("strato-scheduler", "scheduler", with_database=True)
        cls.victim = cls.cloud.start("strato-compute", VICTIM, room_for(ON_VICTIM))
        cls.cloud.start("strato-compute", OTHERS[0], room_for(PER_HOST),
                        fake_hosts=OTHERS[1:])
        cls.addClassCleanup(session.dispose_all)
        cls.cloud.use([VICTIM, *OTHERS])
        cls.ctxt = context.RequestContext(user_id=USER, project_id=PROJECT,
                                          roles=["member"])

    def guests(self) -> dict[str, set[str]]:
        """{host: the uuids of its fake guests}, from the guests files."""
        result = {}
        for host in (VICTIM, *OTHERS):
            path = os.path.join(self.deployment.state_path, f"fake-guests-{host}.json")
            with open(path) as f:
                result[host] = set(json.load(f))
        return result

    def test_the_ha_servers_of_a_killed_host_restart_elsewhere_once(self) -> None:
        highly_available = self.cloud.boot(self.ctxt, HA_FLAVOR, HIGHLY_AVAILABLE, VICTIM)
        plain = self.cloud.boot(self.ctxt, FLAVOR, ON_VICTIM - HIGHLY_AVAILABLE, VICTIM)
        others = self.cloud.boot(self.ctxt, FLAVOR, SERVERS - ON_VICTIM)
        self.cloud.wait_active(highly_available + plain + others, 600)
        self.assertEqual(set(highly_available + plain), self.guests()[VICTIM])

        self.victim.kill()
        killed_at = time.monotonic()
        self.cloud.wait_active(highly_available, HOST_DOWN_AFTER + 120, away_from=VICTIM)
        fixtures.wait_until(lambda: all(
            m.status == "done" for m in compute_migrations.list_migrations(
                SYSTEM, migration_type="evacuation")), 60, "evacuations done", 1)
        print(f"{HIGHLY_AVAILABLE} HA servers ACTIVE elsewhere "
              f"{time.monotonic() - killed_at:.1f}s after the kill "
              f"(host_down_after {HOST_DOWN_AFTER}s, {self.conductors} conductor(s))")

        instances = {i.uuid: i for i in compute_instances.list_instances(
            SYSTEM, {"project_id": PROJECT})}
        guests = self.guests()
        for uuid in highly_available:
            self.assertNotEqual(VICTIM, instances[uuid].host)
            running_on = [host for host in OTHERS if uuid in guests[host]]
            self.assertEqual([instances[uuid].host], running_on, uuid)
            evacuations = compute_migrations.list_migrations(SYSTEM, instance_uuid=uuid)
            self.assertEqual(["evacuation"], [m.migration_type for m in evacuations])
            actions = [a.action for a in compute_actions.list_actions(SYSTEM, uuid)]
            self.assertEqual(1, actions.count("evacuate"), actions)
        faults = compute_instances.latest_faults(SYSTEM, plain)
        for uuid in plain:
            self.assertEqual((VICTIM, VMState.ACTIVE),
                             (instances[uuid].host, instances[uuid].vm_state))
            self.assertIn(f"Compute host {VICTIM} is down", faults[uuid].message)
        self.assert_allocations_match(instances)

    def assert_allocations_match(self, instances: dict) -> None:
        """No host over-committed; each host's allocations are its servers' own."""
        usages = placement.usages(SYSTEM)
        servers_on = collections.Counter(i.host for i in instances.values())
        for host in (VICTIM, *OTHERS):
            inventory = placement.get_inventories(SYSTEM, host)["MEMORY_MB"]
            used = usages.get(host, {}).get("MEMORY_MB", 0)
            self.assertLessEqual(used, placement.capacity(inventory), host)
            self.assertEqual(servers_on[host] * 512, used, host)
        for uuid, instance in instances.items():
            self.assertEqual({instance.host}, set(placement.allocations_of(SYSTEM, uuid)))
        for migration in compute_migrations.list_migrations(SYSTEM):
            self.assertEqual({}, placement.allocations_of(SYSTEM, migration.uuid))


class HAStormTwoConductorsTest(HAStormTest):
    conductors = 2

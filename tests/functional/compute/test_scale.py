"""200 instances booted at once over 20 fake compute hosts, with two schedulers, on the
real broker: every one ACTIVE, no host over-committed, an anti-affinity group spread,
and one more instance refused with No valid host and no claim.

Processes: a conductor, two schedulers, and two compute agents serving ten fake hosts
each ([compute] fake_hosts). This test process plays the api: it creates the instance
rows and casts one build_instances per instance, like 200 API requests would.
Each host has room for exactly ten instances of the test flavor (RAM is the limit:
10 x 512 MB plus 512 MB reserved), so 200 instances fill the 20 hosts exactly: any
over-commit or lost claim shows as an ERROR instance or a host above ten.
"""
import collections

from common import context
from common.compute_states import VMState
from common.db import session
from common.db.api import compute_instances, compute_server_groups, placement
from tests.functional import fixtures
from tests.functional.fixtures.fake_hosts import FakeHosts

SYSTEM = context.get_admin_context()

HOSTS = [f"fake{index:02d}" for index in range(20)]
PER_HOST = 10
FLAVOR = {"id": "scale", "name": "scale", "vcpus": 1, "memory_mb": 512, "root_gb": 1,
          "ephemeral_gb": 0, "swap": 0, "extra_specs": {}}
PROJECT, USER = "scale-project", "scale-user"


class ScaleTest(fixtures.DeploymentTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # Slower heartbeats and a longer down time than the fixture's: 20 agents and
        # 200 builds keep one SQLite file busy, and a late heartbeat must not make a
        # host look dead in the middle of the run.
        cls.cloud = FakeHosts(cls.deployment, f"""[DEFAULT]
report_interval = 3
service_down_time = 60

[compute]
compute_driver = fake
fake_memory_mb = {PER_HOST * 512 + 512}
reserved_host_memory_mb = 512
update_resources_interval = 600
""")
        cls.cloud.start("strato-conductor", "conductor", with_database=True)
        cls.cloud.start("strato-scheduler", "scheduler-a", with_database=True)
        cls.cloud.start("strato-scheduler", "scheduler-b", with_database=True)
        cls.cloud.start("strato-compute", HOSTS[0], fake_hosts=HOSTS[1:10])
        cls.cloud.start("strato-compute", HOSTS[10], fake_hosts=HOSTS[11:])
        cls.addClassCleanup(session.dispose_all)
        cls.cloud.use(HOSTS)
        cls.ctxt = context.RequestContext(user_id=USER, project_id=PROJECT, roles=["member"])

    def boot(self, count: int, group_uuid: str | None = None) -> list[str]:
        group = (compute_server_groups.to_spec(compute_server_groups.get(SYSTEM, group_uuid))
                 if group_uuid else None)
        return self.cloud.boot(self.ctxt, FLAVOR, count, group=group)

    def assert_logs_clean(self) -> None:
        for process in self.deployment.processes:
            self.assertTrue(process.running(), f"{process.name} exited:\n"
                                               f"{process.log_tail()}")

    def test_200_instances_fill_20_hosts_exactly(self) -> None:
        group = compute_server_groups.create(self.ctxt, "spread", "anti-affinity")
        members = self.boot(5, group.uuid)
        states = self.cloud.wait_settled(members, 120)
        self.assertEqual({VMState.ACTIVE}, set(states.values()))
        member_hosts = {i.host for i in compute_instances.list_instances(SYSTEM, {"uuid": members})}
        self.assertEqual(5, len(member_hosts), member_hosts)

        others = self.boot(200 - len(members))
        states = self.cloud.wait_settled(others, 600)
        failed = {uuid: state for uuid, state in states.items() if state != VMState.ACTIVE}
        faults = compute_instances.latest_faults(SYSTEM, failed)
        self.assertEqual({}, failed, {uuid: fault.message for uuid, fault in faults.items()})

        per_host = collections.Counter(
            i.host for i in compute_instances.list_instances(SYSTEM, {"project_id": PROJECT}))
        self.assertEqual(dict.fromkeys(HOSTS, PER_HOST), dict(per_host))
        usages = placement.usages(SYSTEM, HOSTS)
        for host in HOSTS:
            inventory = placement.get_inventories(SYSTEM, host)["MEMORY_MB"]
            self.assertLessEqual(usages[host]["MEMORY_MB"], placement.capacity(inventory),
                                 host)
            self.assertEqual(PER_HOST * 512, usages[host]["MEMORY_MB"], host)

        (extra,) = self.boot(1)
        self.assertEqual({extra: VMState.ERROR}, self.cloud.wait_settled([extra], 60))
        fault = compute_instances.latest_faults(SYSTEM, [extra])[extra]
        self.assertTrue(fault.message.startswith("No valid host was found"), fault.message)
        self.assertEqual({}, placement.allocations_of(SYSTEM, extra))
        self.assert_logs_clean()

"""Host selection: filters, weighers, alternates, claims and NoValidHost."""
import datetime

from common import exceptions
from common.db.api import compute_aggregates, compute_server_groups, services
from common.db.types import utcnow
from services.scheduler import host_state, selector
from services.scheduler.filters import extra_specs_ops
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.network import ADMIN


class SelectorTestCase(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cache = host_state.HostStateCache()
        self.selector = selector.Selector(self.cache)

    def select(self, flavor: dict | None = None, count: int = 1, group_uuid: str | None = None,
               **spec_args) -> list[list[dict]]:
        flavor = flavor or fakes.flavor()
        uuids = [fakes.create_instance(flavor, group_uuid=group_uuid) for _ in range(count)]
        spec = fakes.request_spec(flavor, group_uuid, **spec_args)
        return self.selector.select(fakes.CONTEXT, spec, uuids)

    def chosen(self, **kwargs) -> list[str]:
        return [selection[0]["host"] for selection in self.select(**kwargs)]


class ResourceTest(SelectorTestCase):
    def test_spreads_by_default_and_claims(self) -> None:
        fakes.add_host("small", memory_mb=2048)
        fakes.add_host("big", memory_mb=8192)
        self.assertEqual(["big"], self.chosen())
        self.assertEqual(512, fakes.used("big")["MEMORY_MB"])

    def test_negative_multipliers_stack(self) -> None:
        self.flags("scheduler", ram_weight_multiplier=-1.0, cpu_weight_multiplier=-1.0,
                   disk_weight_multiplier=-1.0)
        fakes.add_host("small", memory_mb=2048)
        fakes.add_host("big", memory_mb=8192)
        self.assertEqual(["small", "small"], self.chosen(count=2))

    def test_allocation_ratio_counts(self) -> None:
        fakes.add_host("h1", vcpus=2, cpu_ratio=2.0)
        self.assertEqual(["h1"] * 4, self.chosen(count=4))
        with self.assertRaises(exceptions.NoValidHost):
            self.select()

    def test_alternates_are_the_next_best_unclaimed_hosts(self) -> None:
        for index, memory in enumerate((8192, 6144, 4096, 2048)):
            fakes.add_host(f"h{index}", memory_mb=memory)
        (selection,) = self.select()
        self.assertEqual(["h0", "h1", "h2"], [s["host"] for s in selection])
        self.assertEqual({}, fakes.used("h1"))

    def test_no_valid_host_releases_the_whole_request(self) -> None:
        fakes.add_host("h1", vcpus=2)
        with self.assertRaises(exceptions.NoValidHost) as raised:
            self.select(count=3)
        self.assertIn("No valid host was found", raised.exception.msg)
        self.assertEqual({}, fakes.used("h1"))

    def test_a_stale_view_only_costs_a_retry(self) -> None:
        fakes.add_host("h1", vcpus=1)
        fakes.add_host("h2", vcpus=1, memory_mb=4096)
        self.cache.refresh(fakes.CONTEXT)
        # Another scheduler fills h1 behind this one's back.
        from common.db.api import placement
        placement.claim(SYSTEM, "other", "h1", {"VCPU": 1})
        self.assertEqual(["h2"], self.chosen())

    def test_ignore_and_force_hosts(self) -> None:
        fakes.add_host("h1", memory_mb=8192)
        fakes.add_host("h2", memory_mb=4096)
        self.assertEqual(["h2"], self.chosen(force_hosts=["h2"]))
        flavor = fakes.flavor()
        spec = {**fakes.request_spec(flavor), "ignore_hosts": ["h1"]}
        uuids = [fakes.create_instance(flavor)]
        (selection,) = self.selector.select(fakes.CONTEXT, spec, uuids)
        self.assertEqual(["h2"], [s["host"] for s in selection])


class FilterTest(SelectorTestCase):
    def test_a_migration_s_requested_host_still_runs_the_filters(self) -> None:
        fakes.add_host("h1", memory_mb=8192)
        fakes.add_host("h2", memory_mb=4096)
        fakes.add_host("h3", memory_mb=4096)
        (service,) = services.list_services(ADMIN, host="h3")
        services.update(ADMIN, service.uuid, disabled=True)
        flavor = fakes.flavor()
        spec = {**fakes.request_spec(flavor), "requested_host": "h2"}
        (selection,) = self.selector.select(fakes.CONTEXT, spec,
                                            [fakes.create_instance(flavor)])
        self.assertEqual("h2", selection[0]["host"])
        spec["requested_host"] = "h3"
        with self.assertRaises(exceptions.NoValidHost):
            self.selector.select(fakes.CONTEXT, spec, [fakes.create_instance(flavor)])

    def test_same_host_and_different_host_hints(self) -> None:
        for name in ("h1", "h2", "h3"):
            fakes.add_host(name, memory_mb=8192)
        placed = fakes.create_instance(fakes.flavor(), host="h2")
        self.assertEqual(["h2"] * 2, self.chosen(count=2, scheduler_hints={
            "same_host": placed}))
        self.assertNotIn("h2", self.chosen(count=2, scheduler_hints={
            "different_host": [placed]}))
        self.assertEqual(3, len(self.chosen(count=3, scheduler_hints={
            "different_host": ["no-such-server"]})))

    def test_down_and_disabled_hosts_are_skipped(self) -> None:
        fakes.add_host("up", memory_mb=1024)
        fakes.add_host("disabled", memory_mb=8192)
        fakes.add_host("down", memory_mb=8192)
        fakes.add_host("never-reported", memory_mb=8192, up=False)
        disabled = services.list_services(ADMIN, host="disabled")[0]
        services.update(ADMIN, disabled.uuid, disabled=True)
        old = utcnow() - datetime.timedelta(seconds=3600)
        services.update(ADMIN, services.list_services(ADMIN, host="down")[0].uuid, last_seen_at=old)
        self.assertEqual(["up"], self.chosen())

    def test_availability_zone(self) -> None:
        fakes.add_host("h1", memory_mb=8192)
        fakes.add_host("h2", memory_mb=1024)
        aggregate = compute_aggregates.create(fakes.CONTEXT, "agg", availability_zone="az2")
        compute_aggregates.add_host(fakes.CONTEXT, aggregate.id, "h2")
        self.assertEqual(["h2"], self.chosen(availability_zone="az2"))
        self.assertEqual(["h1"], self.chosen(availability_zone="nova"))
        with self.assertRaises(exceptions.NoValidHost):
            self.select(availability_zone="az3")

    def test_aggregate_instance_extra_specs(self) -> None:
        fakes.add_host("plain", memory_mb=8192)
        fakes.add_host("ssd", memory_mb=1024)
        aggregate = compute_aggregates.create(fakes.CONTEXT, "fast")
        compute_aggregates.add_host(fakes.CONTEXT, aggregate.id, "ssd")
        compute_aggregates.set_metadata(fakes.CONTEXT, aggregate.id, {"disk": "ssd", "cores": "8"})
        wants = {"aggregate_instance_extra_specs:disk": "ssd", "cores": ">= 4",
                 "hw:cpu_policy": "dedicated"}  # another scope: not this filter's
        self.assertEqual(["ssd"], self.chosen(flavor=fakes.flavor(extra_specs=wants)))

    def test_image_properties_need_the_traits(self) -> None:
        fakes.add_host("arm", memory_mb=8192, traits=("HW_ARCH_AARCH64",))
        fakes.add_host("x86", memory_mb=1024,
                       traits=("HW_ARCH_X86_64", "CUSTOM_HYPERVISOR_QEMU"))
        flavor = fakes.flavor()
        uuid = fakes.create_instance(flavor)
        spec = fakes.request_spec(flavor)
        spec["image"]["properties"] = {"architecture": "amd64", "img_hv_type": "qemu"}
        (selection, *_alternates), = self.selector.select(fakes.CONTEXT, spec, [uuid])
        self.assertEqual("x86", selection["host"])

    def test_required_and_forbidden_traits(self) -> None:
        fakes.add_host("gpu", memory_mb=1024, traits=("CUSTOM_GPU",))
        fakes.add_host("plain", memory_mb=8192, traits=())
        self.assertEqual(["gpu"], self.chosen(
            flavor=fakes.flavor(extra_specs={"trait:CUSTOM_GPU": "required"})))
        self.assertEqual(["plain"], self.chosen(
            flavor=fakes.flavor(extra_specs={"trait:CUSTOM_GPU": "forbidden"})))

    def test_anti_affinity_one_request_and_across_requests(self) -> None:
        for index in range(5):
            fakes.add_host(f"h{index}")
        group = compute_server_groups.create(fakes.CONTEXT, "g", "anti-affinity")
        hosts = self.chosen(count=3, group_uuid=group.uuid)
        hosts += self.chosen(count=1, group_uuid=group.uuid)
        hosts += self.chosen(count=1, group_uuid=group.uuid)
        self.assertEqual(5, len(set(hosts)))
        with self.assertRaises(exceptions.NoValidHost):
            self.select(group_uuid=group.uuid)

    def test_anti_affinity_max_server_per_host(self) -> None:
        fakes.add_host("h1")
        group = compute_server_groups.create(fakes.CONTEXT, "g", "anti-affinity",
                                             rules={"max_server_per_host": 2})
        self.assertEqual(["h1", "h1"], self.chosen(count=2, group_uuid=group.uuid))

    def test_affinity(self) -> None:
        for index in range(3):
            fakes.add_host(f"h{index}")
        group = compute_server_groups.create(fakes.CONTEXT, "g", "affinity")
        hosts = self.chosen(count=2, group_uuid=group.uuid)
        hosts += self.chosen(group_uuid=group.uuid)
        self.assertEqual(1, len(set(hosts)))

    def test_soft_anti_affinity_spreads_soft_affinity_packs(self) -> None:
        self.flags("scheduler", ram_weight_multiplier=0.0, cpu_weight_multiplier=0.0,
                   disk_weight_multiplier=0.0)
        for index in range(3):
            fakes.add_host(f"h{index}")
        soft_anti = compute_server_groups.create(fakes.CONTEXT, "a", "soft-anti-affinity")
        self.assertEqual(3, len(set(self.chosen(count=3, group_uuid=soft_anti.uuid))))
        soft = compute_server_groups.create(fakes.CONTEXT, "b", "soft-affinity")
        self.assertEqual(1, len(set(self.chosen(count=3, group_uuid=soft.uuid))))


class ExtraSpecsOpsTest(base.TestCase):
    def test_operators(self) -> None:
        cases = [("8", "= 4", True), ("2", "= 4", False), ("8", "4", False),
                 ("4", "4", True), ("4", "== 4", True),
                 ("4", "!= 4", False), ("ssd", "s== ssd", True), ("ssd", "s!= ssd", False),
                 ("fast ssd", "<in> ssd", True), ("a b", "<all-in> a c", False),
                 ("b", "<or> a <or> b", True), ("c", "<or> a <or> b", False),
                 ("x", "x", True), ("abc", "<= 3", False)]
        for value, requirement, expected in cases:
            self.assertEqual(expected, extra_specs_ops.match(value, requirement),
                             f"{value!r} vs {requirement!r}")

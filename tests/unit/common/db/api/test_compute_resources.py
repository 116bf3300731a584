"""Flavors, keypairs, server groups, aggregates (with AZs), quotas, migrations."""
from common import context, exceptions
from common.db.api import (
    compute_aggregates,
    compute_flavors,
    compute_hosts,
    compute_keypairs,
    compute_migrations,
    compute_quotas,
    compute_server_groups,
    services,
)
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base.network import ADMIN


def flavor_values(flavorid: str, name: str, memory_mb: int = 512, root_gb: int = 1,
                  **more) -> dict:
    return {"flavorid": flavorid, "name": name, "vcpus": 1, "memory_mb": memory_mb,
            "root_gb": root_gb, **more}


class FlavorsTest(base.DatabaseTestCase):
    def test_create_get_and_conflicts(self) -> None:
        created = compute_flavors.create(ADMIN, flavor_values("1", "m1.tiny"), {"hw:x": "y"})
        self.assertEqual({"hw:x": "y"}, created.extra_specs)
        self.assertEqual("m1.tiny", compute_flavors.get(ADMIN, "1").name)
        self.assertEqual("1", compute_flavors.get_by_name(ADMIN, "m1.tiny").flavorid)
        with self.assertRaises(exceptions.FlavorExists):
            compute_flavors.create(ADMIN, flavor_values("1", "other"))
        with self.assertRaises(exceptions.FlavorExists):
            compute_flavors.create(ADMIN, flavor_values("2", "m1.tiny"))
        with self.assertRaises(exceptions.FlavorNotFound):
            compute_flavors.get(ADMIN, "9")

    def test_list_visibility_filters_and_paging(self) -> None:
        compute_flavors.create(ADMIN, flavor_values("1", "small", 512, 1))
        compute_flavors.create(ADMIN, flavor_values("2", "big", 4096, 40))
        compute_flavors.create(ADMIN, flavor_values("3", "secret", 1024, 10, is_public=False),
                               projects=["p1"])

        def ids(ctxt: context.RequestContext = ADMIN, **kwargs) -> list[str]:
            return [f.flavorid for f in compute_flavors.list_flavors(ctxt, **kwargs)]

        self.assertEqual(["1", "2"], ids())
        self.assertEqual(["1", "2", "3"], ids(context.RequestContext(project_id="p1")))
        self.assertEqual(["3"], ids(is_public=False))
        self.assertEqual(["1", "2", "3"], ids(is_public=None))
        self.assertEqual(["2", "3"], ids(is_public=None, min_memory_mb=1024))
        self.assertEqual(["2"], ids(min_root_gb=20))
        self.assertEqual(["1"], ids(is_public=None, limit=1))
        self.assertEqual(["2", "3"], ids(is_public=None, marker="1"))
        self.assertEqual(["3", "1"], ids(is_public=None, sort_key="memory_mb",
                                         sort_dir="desc", marker="2"))
        with self.assertRaises(exceptions.BadRequest):
            ids(marker="nope")

    def test_extra_specs_access_and_snapshot(self) -> None:
        compute_flavors.create(ADMIN, flavor_values("1", "f", is_public=False))
        self.assertEqual({"a": "1", "b": "2"},
                         compute_flavors.set_extra_specs(ADMIN, "1", {"a": "1", "b": "2"}))
        compute_flavors.delete_extra_spec(ADMIN, "1", "a")
        with self.assertRaises(exceptions.FlavorExtraSpecNotFound):
            compute_flavors.delete_extra_spec(ADMIN, "1", "a")
        self.assertEqual(["p1"], compute_flavors.add_access(ADMIN, "1", "p1"))
        with self.assertRaises(exceptions.FlavorAccessExists):
            compute_flavors.add_access(ADMIN, "1", "p1")
        self.assertEqual([], compute_flavors.remove_access(ADMIN, "1", "p1"))
        snapshot = compute_flavors.snapshot(compute_flavors.get(ADMIN, "1"))
        self.assertEqual(("1", "f", {"b": "2"}),
                         (snapshot["id"], snapshot["name"], snapshot["extra_specs"]))
        compute_flavors.delete(ADMIN, "1")
        with self.assertRaises(exceptions.FlavorNotFound):
            compute_flavors.delete(ADMIN, "1")


class KeypairsAndGroupsTest(base.DatabaseTestCase):
    def test_keypairs_are_per_user(self) -> None:
        compute_keypairs.create(ADMIN, "u1", "k1", "ssh-ed25519 AAA", "fp")
        compute_keypairs.create(ADMIN, "u2", "k1", "ssh-ed25519 BBB", "fp2")
        with self.assertRaises(exceptions.KeypairExists):
            compute_keypairs.create(ADMIN, "u1", "k1", "ssh-ed25519 CCC", "fp3")
        compute_keypairs.create(ADMIN, "u1", "k2", "ssh-ed25519 DDD", "fp4")
        self.assertEqual(["k2"], [k.name for k in compute_keypairs.list_keypairs(ADMIN,
            "u1", marker="k1")])
        self.assertEqual(2, compute_keypairs.count(ADMIN, "u1"))
        compute_keypairs.delete(ADMIN, "u1", "k1")
        with self.assertRaises(exceptions.KeypairNotFound):
            compute_keypairs.get(ADMIN, "u1", "k1")

    def test_server_groups(self) -> None:
        owner = context.RequestContext(user_id="u", project_id="p")
        other = context.RequestContext(user_id="u2", project_id="other")
        group = compute_server_groups.create(owner, "g", "anti-affinity",
                                             {"max_server_per_host": 2})
        self.assertEqual(("u", "p"), (group.user_id, group.project_id))
        with self.assertRaises(exceptions.BadRequest):
            compute_server_groups.create(owner, "bad", "nonsense")
        self.assertEqual([group], compute_server_groups.list_groups(owner))
        self.assertEqual([], compute_server_groups.list_groups(other))
        self.assertEqual([group], compute_server_groups.list_groups(other, all_projects=True))
        self.assertEqual({"uuid": group.uuid, "policy": "anti-affinity",
                          "rules": {"max_server_per_host": 2}, "members": []},
                         compute_server_groups.to_spec(compute_server_groups.get(ADMIN,
                                                                                 group.uuid)))
        for outsider_call in (compute_server_groups.get, compute_server_groups.delete):
            with self.assertRaises(exceptions.ServerGroupNotFound):
                outsider_call(other, group.uuid)
        self.assertEqual(1, compute_server_groups.count(ADMIN, "p"))
        compute_server_groups.delete(owner, group.uuid)
        with self.assertRaises(exceptions.ServerGroupNotFound):
            compute_server_groups.delete(owner, group.uuid)


class AggregatesTest(base.DatabaseTestCase):
    def test_availability_zones_come_from_aggregates(self) -> None:
        for host in ("h1", "h2"):
            services.heartbeat(ADMIN, host, "strato-compute", "compute", "1")
        aggregate = compute_aggregates.create(ADMIN, "rack1", availability_zone="az1")
        compute_aggregates.add_host(ADMIN, aggregate.id, "h1")
        self.assertEqual("az1", compute_hosts.availability_zone_of(ADMIN, "h1"))
        self.assertEqual("nova", compute_hosts.availability_zone_of(ADMIN, "h2"))
        self.assertEqual({"az1": {"h1"}, "nova": {"h2"}}, compute_hosts.availability_zones(ADMIN))
        by_host = compute_hosts.aggregates_by_host(ADMIN)
        self.assertEqual({"availability_zone": {"az1"}}, by_host["h1"].metadata)

    def test_a_host_is_in_one_zone_only(self) -> None:
        first = compute_aggregates.create(ADMIN, "a", availability_zone="az1")
        second = compute_aggregates.create(ADMIN, "b", availability_zone="az2")
        compute_aggregates.add_host(ADMIN, first.id, "h1")
        with self.assertRaises(exceptions.AvailabilityZoneConflict):
            compute_aggregates.add_host(ADMIN, second.id, "h1")
        third = compute_aggregates.create(ADMIN, "c")
        compute_aggregates.add_host(ADMIN, third.id, "h1")
        with self.assertRaises(exceptions.AvailabilityZoneConflict):
            compute_aggregates.set_metadata(ADMIN, third.id, {"availability_zone": "az3"})

    def test_hosts_metadata_update_and_delete(self) -> None:
        aggregate = compute_aggregates.create(ADMIN, "a")
        with self.assertRaises(exceptions.AggregateNameExists):
            compute_aggregates.create(ADMIN, "a")
        compute_aggregates.add_host(ADMIN, aggregate.id, "h1")
        with self.assertRaises(exceptions.AggregateHostExists):
            compute_aggregates.add_host(ADMIN, aggregate.id, "h1")
        compute_aggregates.set_metadata(ADMIN, aggregate.id, {"ssd": "true", "x": "1"})
        updated = compute_aggregates.set_metadata(ADMIN, aggregate.id, {"x": None})
        self.assertEqual(({"ssd": "true"}, ["h1"]), (updated.metadata, updated.hosts))
        renamed = compute_aggregates.update(ADMIN, aggregate.id, name="b", availability_zone="az9")
        self.assertEqual(("b", "az9"), (renamed.name, renamed.availability_zone))
        with self.assertRaises(exceptions.AggregateInUse):
            compute_aggregates.delete(ADMIN, aggregate.id)
        compute_aggregates.remove_host(ADMIN, aggregate.id, "h1")
        with self.assertRaises(exceptions.AggregateHostNotFound):
            compute_aggregates.remove_host(ADMIN, aggregate.id, "h1")
        compute_aggregates.delete(ADMIN, aggregate.id)
        with self.assertRaises(exceptions.AggregateNotFound):
            compute_aggregates.get(ADMIN, aggregate.id)


class QuotasAndMigrationsTest(base.DatabaseTestCase):
    def test_quotas_override_defaults(self) -> None:
        defaults = {"instances": 10, "cores": 20}
        compute_quotas.set_limits(SYSTEM, "p", {"cores": 4})
        self.assertEqual({"instances": 10, "cores": 4},
                         compute_quotas.get_limits(SYSTEM, "p", defaults))
        compute_quotas.set_limits(SYSTEM, "p", {"cores": -1})
        self.assertEqual(-1, compute_quotas.get_limits(SYSTEM, "p", defaults)["cores"])
        compute_quotas.delete_limits(SYSTEM, "p")
        self.assertEqual(defaults, compute_quotas.get_limits(SYSTEM, "p", defaults))

    def test_migrations(self) -> None:
        from tests.unit.base import scheduler as fakes
        uuid = fakes.create_instance(fakes.flavor())
        migration = compute_migrations.create(ADMIN, {
            "instance_uuid": uuid, "status": "migrating", "source_compute": "h1",
            "dest_compute": "h1"})
        in_progress = compute_migrations.in_progress_for(ADMIN, uuid)
        self.assertEqual(migration, in_progress)
        compute_migrations.update(ADMIN, migration.uuid, {"status": "confirmed"})
        self.assertIsNone(compute_migrations.in_progress_for(ADMIN, uuid))
        self.assertEqual(1, len(compute_migrations.list_migrations(ADMIN, host="h1")))
        sent = compute_migrations.to_dict(compute_migrations.get(ADMIN, migration.uuid))
        self.assertEqual("confirmed", sent["status"])
        self.assertIsInstance(sent["updated_at"], str)


class ComputeNodesTest(base.DatabaseTestCase):
    def test_update_list_get(self) -> None:
        info = {"hypervisor_hostname": "h1.example", "hypervisor_type": "qemu",
                "hypervisor_version": 7002000, "cpu_info": {"arch": "x86_64"},
                "vcpus": 2, "memory_mb": 2048, "local_gb": 20}
        compute_hosts.update_node(ADMIN, "h1", info)
        compute_hosts.update_node(ADMIN, "h1", {**info, "vcpus": 4})
        (node,) = compute_hosts.list_nodes(ADMIN)
        self.assertEqual(("h1", 4, 7002000), (node.host, node.vcpus, node.hypervisor_version))
        self.assertEqual(node.id, compute_hosts.get_node(ADMIN, node.uuid).id)
        self.assertEqual(node.id, compute_hosts.get_node(ADMIN, "h1").id)
        compute_hosts.delete_node(ADMIN, "h1")
        with self.assertRaises(exceptions.NotFound):
            compute_hosts.get_node(ADMIN, "h1")

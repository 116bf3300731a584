"""Servers and their ports over the fake bus with fake compute hosts: ports made and bound
on build, rebound on a reschedule, released on ERROR and on delete (from any state), the
network agent told each time, and the VIFs handed to the driver."""
from unittest import mock

from common import context
from common.compute_states import TaskState, VMState
from common.db.api import compute_network
from services.network import rpcapi as network_rpcapi
from tests.network_requests import network_ports as ports
from tests.unit.base import network as network_helpers
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud

OWNER = context.RequestContext(project_id=fakes.PROJECT, roles=["member"], overwrite=False)


class ServerPortsTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags("compute", fake_memory_mb=16384)  # "a" is tried first (more free RAM)
        self.synced: list[tuple[str, str]] = []
        sync = mock.patch.object(network_rpcapi.NetworkAgentAPI, "sync",
                                 lambda _self, _ctxt, *resources:
                                 self.synced.extend(resources))
        sync.start()
        self.addCleanup(sync.stop)
        self.cloud = Cloud(self, ["a", "b"])
        self.flags("compute", reserved_host_memory_mb=8192)
        self.cloud.computes["b"].report_resources(self.cloud.ctxt)
        self.net = self.network(OWNER, name="n1")
        self.subnet(self.net, "10.0.5.0/24", OWNER)

    def boot(self, requested) -> str:
        flavor = fakes.flavor()
        uuid = fakes.create_instance(flavor, request_id=self.cloud.ctxt.request_id,
                                     requested_networks=requested)
        self.cloud.conductor.build_instances(
            self.cloud.ctxt, [uuid], fakes.request_spec(flavor, requested_networks=requested))
        return uuid

    def ports_of(self, uuid: str) -> list[dict]:
        return [port for port in ports.list_ports(network_helpers.ADMIN)
                if port["device_id"] == uuid]

    def test_build_binds_a_new_port_and_plugs_it(self) -> None:
        uuid = self.boot([{"uuid": self.net["id"]}])
        self.cloud.wait_active(uuid)
        (port,) = self.ports_of(uuid)
        self.assertEqual(("a", "compute:nova", fakes.PROJECT),
                         (port["binding:host_id"], port["device_owner"], port["project_id"]))
        (vif,) = self.cloud.drivers["a"].guests[uuid].network_info
        address = port["fixed_ips"][0]["ip_address"]
        self.assertEqual({"id": port["id"], "address": port["mac_address"], "type": "ovs",
                          "devname": "tap" + port["id"][:11], "mtu": self.net["mtu"],
                          "network_id": self.net["id"], "network_name": "n1",
                          "fixed_ips": [{"subnet_id": port["fixed_ips"][0]["subnet_id"],
                                         "ip_address": address}]}, vif)
        self.assertIn(("port", port["id"]), self.synced)
        addresses = compute_network.addresses(self.cloud.ctxt, [uuid])[uuid]
        self.assertEqual([address], [entry["addr"] for entry in addresses["n1"]])

    def test_reschedule_rebinds_the_same_port(self) -> None:
        self.cloud.drivers["a"].fail_spawn = True
        uuid = self.boot([{"uuid": self.net["id"]}])
        self.cloud.wait_active(uuid)
        self.assertEqual("b", self.cloud.instance(uuid).host)
        (port,) = self.ports_of(uuid)
        self.assertEqual("b", port["binding:host_id"])
        self.assertEqual([port["id"]],
                         [vif["id"] for vif in self.cloud.drivers["b"].guests[uuid].network_info])

    def test_delete_removes_made_ports_and_unbinds_given_ones(self) -> None:
        given = self.port(self.net, OWNER, name="given")
        uuid = self.boot([{"uuid": self.net["id"]}, {"port": given["id"]}])
        self.cloud.wait_active(uuid)
        made = {port["id"] for port in self.ports_of(uuid)} - {given["id"]}
        self.assertEqual(1, len(made))
        vifs = self.cloud.drivers["a"].guests[uuid].network_info
        self.assertEqual(given["id"], vifs[1]["id"])  # in request order
        self.synced.clear()
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertEqual([], self.ports_of(uuid))
        kept = ports.get_port(OWNER, given["id"])
        self.assertEqual(("", ""), (kept["device_id"], kept["binding:host_id"]))
        self.assertEqual({("port", given["id"]), *(("port", p) for p in made)},
                         set(self.synced))

    def test_delete_while_the_build_is_in_flight_leaves_no_port(self) -> None:
        self.cloud.drivers["a"].spawn_delay = 1.0
        uuid = self.boot([{"uuid": self.net["id"]}])
        self.wait_until(lambda: self.cloud.instance(uuid).task_state == TaskState.SPAWNING,
                        message="spawning")
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertEqual([], self.ports_of(uuid))

    def test_failing_everywhere_and_deleting_the_error_leave_no_port(self) -> None:
        for driver in self.cloud.drivers.values():
            driver.fail_spawn = True
        uuid = self.boot([{"uuid": self.net["id"]}])
        self.cloud.wait_for(uuid, VMState.ERROR)
        self.assertEqual([], self.ports_of(uuid))
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertEqual([], self.ports_of(uuid))

    def test_no_address_left_is_an_error_without_a_port(self) -> None:
        net = self.network(OWNER, name="tiny")
        self.subnet(net, "10.0.9.0/30", OWNER)  # one usable address, taken below
        self.port(net, OWNER)
        uuid = self.boot([{"uuid": net["id"]}])
        self.cloud.wait_for(uuid, VMState.ERROR)
        self.assertEqual([], self.ports_of(uuid))
        self.assertIsNone(self.cloud.instance(uuid).host)

    def test_hostname_is_the_dns_name_where_the_network_has_a_domain(self) -> None:
        named = self.network(OWNER, name="named", dns_domain="example.org.")
        self.subnet(named, "10.0.6.0/24", OWNER)
        uuid = self.boot([{"uuid": named["id"]}, {"uuid": self.net["id"]}])
        self.cloud.wait_active(uuid)
        names = {port["network_id"]: port["dns_name"] for port in self.ports_of(uuid)}
        self.assertEqual({named["id"]: "vm", self.net["id"]: ""}, names)

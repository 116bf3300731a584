"""Ports of servers: allocation on a host (new and given ports), rebinding, and the
cleanup that deletes what the server made and unbinds what it was given."""
from common import exceptions
from common.db.api import network_instances as instances
from tests.network_requests import network_ports as ports
from tests.network_requests import network_security_groups as security_groups
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ALICE

VM = "6f0c7bd2-8a64-4a4f-9a4b-5b5e3e0d3a11"


class InstancePortsTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.net = self.network()
        self.sub = self.subnet(self.net)

    def allocate(self, requested, host: str = "host1", **kwargs) -> list[dict]:
        return instances.allocate_for_instance(ALICE, VM, "alice", host, "az1", requested,
                                               **kwargs)

    def test_new_and_given_ports_in_request_order(self) -> None:
        given = self.port(self.net, name="given")
        requested = [{"uuid": self.net["id"], "fixed_ip": "10.0.0.99"},
                     {"port": given["id"]}]
        vifs = self.allocate(requested)
        self.assertEqual(given["id"], vifs[1]["id"])
        for vif in vifs:
            self.assertEqual((VM, "compute:az1", "host1", "ovs", 1442),
                             (vif["device_id"], vif["device_owner"], vif["binding:host_id"],
                              vif["binding:vif_type"], vif["mtu"]))
            self.assertEqual("tap" + vif["id"][:11], vif["devname"])
        self.assertEqual("10.0.0.99", vifs[0]["fixed_ips"][0]["ip_address"])
        self.assertEqual("alice", vifs[0]["project_id"])
        # A retried or rescheduled build keeps the ports, bound to the new host.
        again = self.allocate(requested, host="host2")
        self.assertEqual([v["id"] for v in vifs], [v["id"] for v in again])
        self.assertEqual({"host2"}, {v["binding:host_id"] for v in again})
        changed = instances.deallocate_for_instance(ALICE, VM, requested)
        self.assertEqual({("port", vifs[0]["id"]), ("port", given["id"])}, set(changed))
        kept = ports.get_port(ALICE, given["id"])
        self.assertEqual(("", "", ""), (kept["device_id"], kept["device_owner"],
                                        kept["binding:host_id"]))
        with self.assertRaises(exceptions.PortNotFound):
            ports.get_port(ALICE, vifs[0]["id"])
        self.assertEqual([], instances.deallocate_for_instance(ALICE, VM))

    def test_auto_none_and_security_groups(self) -> None:
        self.assertEqual([], self.allocate("none"))
        web = security_groups.create_security_group(ALICE, {"name": "web"})
        (vif,) = self.allocate("auto", security_groups=["web"])
        self.assertEqual([web["id"]], vif["security_groups"])
        self.assertEqual([vif["id"]], [v["id"] for v in instances.instance_vifs(ALICE, VM)])
        moved = instances.bind_instance_ports(ALICE, VM, "host9")
        self.assertEqual("host9", moved[0]["binding:host_id"])
        self.network(name="second")
        with self.assertRaises(exceptions.Conflict):
            instances.allocate_for_instance(ALICE, "other-vm", "alice", "h", None, "auto")
        with self.assertRaises(exceptions.SecurityGroupNotFound):
            instances.allocate_for_instance(ALICE, "vm3", "alice", "h", None,
                                            [{"uuid": self.net["id"]}], ["nope"])

    def test_port_of_another_server_is_in_use(self) -> None:
        taken = self.port(self.net, device_id="someone-else", device_owner="compute:nova")
        with self.assertRaises(exceptions.PortInUse):
            self.allocate([{"port": taken["id"]}])

"""A server on a network with the libvirt driver on test:///default: its domain has the
port as a tap (offloads off) that the agent plugged into the integration bridge of a real
Open_vSwitch ovsdb-server (iface-id = port id), and the port and the OVS port go with
the server."""
import os
import xml.etree.ElementTree as ET

from common import context
from tests import backends
from tests.functional.fixtures import ovn
from tests.network_requests import network_ports as ports
from tests.unit.base import network as network_helpers
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud

try:
    from services.compute.virt.libvirt import driver as libvirt_driver
except ImportError:
    libvirt_driver = None

OWNER = context.RequestContext(project_id=fakes.PROJECT, roles=["member"], overwrite=False)


class LibvirtVifTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        backends.require_module(libvirt_driver and libvirt_driver.libvirt, "libvirt-python")
        backends.require_binaries("qemu-img")
        self.switch = ovn.Switch()
        self.addCleanup(self.switch.cleanup)
        self.switch.start()
        self.switch.vsctl("--no-wait", "add-br", "br-test")
        self.flags("libvirt", connection_uri="test:///default")
        self.flags("compute", ovsdb_connection=self.switch.remote,
                   integration_bridge="br-test")
        os.makedirs(os.path.join(self.state_path, "images"))
        with open(os.path.join(self.state_path, "images", "image-1"), "wb") as f:
            f.truncate(1 << 20)
        self.driver = libvirt_driver.LibvirtDriver()
        self.addCleanup(self.driver.cleanup_host)
        self.cloud = Cloud(self, ["lv"], drivers={"lv": self.driver})
        self.net = self.network(OWNER, name="n1")
        self.subnet(self.net, "10.0.5.0/24", OWNER)

    def test_domain_has_the_port_as_a_tap_the_agent_plugged(self) -> None:
        requested = [{"uuid": self.net["id"]}]
        flavor = fakes.flavor()
        uuid = fakes.create_instance(flavor, requested_networks=requested)
        self.cloud.conductor.build_instances(
            self.cloud.ctxt, [uuid], fakes.request_spec(flavor, requested_networks=requested))
        self.cloud.wait_active(uuid)
        (port,) = [p for p in ports.list_ports(network_helpers.ADMIN)
                   if p["device_id"] == uuid]
        tap = "tap" + port["id"][:11]
        domain = ET.fromstring(self.driver._domain({"uuid": uuid}).XMLDesc())
        (interface,) = domain.findall("devices/interface")
        self.assertEqual(("ethernet", tap, port["mac_address"]),
                         (interface.get("type"), interface.find("target").get("dev"),
                          interface.find("mac").get("address")))
        self.assertEqual(str(self.net["mtu"]), interface.find("mtu").get("size"))
        self.assertEqual({"off"}, set(interface.find("driver/host").attrib.values()))
        self.assertEqual("off", interface.find("driver/guest").get("csum"))
        self.assertEqual([tap], self.switch.ports("br-test"))
        self.assertEqual({"iface-id": port["id"], "attached-mac": port["mac_address"],
                          "vm-uuid": uuid, "iface-status": "active"},
                         self.switch.external_ids(tap))
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertEqual([], [p for p in ports.list_ports(network_helpers.ADMIN)
                              if p["device_id"] == uuid])
        self.assertEqual([], self.switch.ports("br-test"))

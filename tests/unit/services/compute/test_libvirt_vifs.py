"""A server on a network with the libvirt driver on test:///default: its domain has the
port as an OVS VIF on br-int (iface-id = port id, offloads off), and the port goes with
the server."""
import os
import shutil
import unittest
import xml.etree.ElementTree as ET

from common import context
from common.db.api import network_ports as ports
from tests.unit.common.db import network_helpers
from tests.unit.services.conductor.cloud import Cloud
from tests.unit.services.scheduler import fakes

try:
    from services.compute.virt.libvirt import driver as libvirt_driver
except ImportError:
    libvirt_driver = None

OWNER = context.RequestContext(project_id=fakes.PROJECT, roles=["member"], overwrite=False)


@unittest.skipIf(libvirt_driver is None or libvirt_driver.libvirt is None,
                 "libvirt-python is not installed")
@unittest.skipIf(shutil.which("qemu-img") is None, "qemu-img is not installed")
class LibvirtVifTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.flags("libvirt", connection_uri="test:///default")
        os.makedirs(os.path.join(self.state_path, "images"))
        with open(os.path.join(self.state_path, "images", "image-1"), "wb") as f:
            f.truncate(1 << 20)
        self.driver = libvirt_driver.LibvirtDriver()
        self.cloud = Cloud(self, ["lv"], drivers={"lv": self.driver})
        self.net = self.network(OWNER, name="n1")
        self.subnet(self.net, "10.0.5.0/24", OWNER)

    def test_domain_has_the_port_as_an_ovs_vif(self) -> None:
        requested = [{"uuid": self.net["id"]}]
        flavor = fakes.flavor()
        uuid = fakes.create_instance(flavor, requested_networks=requested)
        self.cloud.conductor.build_instances(
            self.cloud.ctxt, [uuid], fakes.request_spec(flavor, requested_networks=requested))
        self.cloud.wait_active(uuid)
        (port,) = [p for p in ports.list_ports(network_helpers.ADMIN)
                   if p["device_id"] == uuid]
        domain = ET.fromstring(self.driver._domain({"uuid": uuid}).XMLDesc())
        (interface,) = domain.findall("devices/interface")
        self.assertEqual(("bridge", "br-int", "openvswitch", port["id"], port["mac_address"]),
                         (interface.get("type"), interface.find("source").get("bridge"),
                          interface.find("virtualport").get("type"),
                          interface.find("virtualport/parameters").get("interfaceid"),
                          interface.find("mac").get("address")))
        self.assertEqual("tap" + port["id"][:11], interface.find("target").get("dev"))
        self.assertEqual(str(self.net["mtu"]), interface.find("mtu").get("size"))
        self.assertEqual({"off"}, set(interface.find("driver/host").attrib.values()))
        self.assertEqual("off", interface.find("driver/guest").get("csum"))
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertEqual([], [p for p in ports.list_ports(network_helpers.ADMIN)
                              if p["device_id"] == uuid])

"""The compute agent with the libvirt driver on test:///default, driven through the
conductor like the api will: build, stop, start, console, delete leaving nothing."""
import os

from common.compute_states import PowerState
from common.db.api import placement
from tests import backends
from tests.unit import base
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.conductor import Cloud

try:
    from services.compute.virt.libvirt import driver as libvirt_driver
except ImportError:
    libvirt_driver = None


class LibvirtFlowTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        backends.require_module(libvirt_driver and libvirt_driver.libvirt, "libvirt-python")
        backends.require_binaries("qemu-img")
        self.flags("libvirt", connection_uri="test:///default")
        self.flags("compute", shutdown_timeout=5)
        os.makedirs(os.path.join(self.state_path, "images"))
        with open(os.path.join(self.state_path, "images", "image-1"), "wb") as f:
            f.truncate(1 << 20)
        self.driver = libvirt_driver.LibvirtDriver()
        self.cloud = Cloud(self, ["lv"], drivers={"lv": self.driver})

    def test_lifecycle(self) -> None:
        (uuid,) = self.cloud.boot()
        self.cloud.wait_active(uuid)
        instance = {"uuid": uuid}
        self.assertEqual(PowerState.RUNNING, self.driver.get_info(instance).state)
        directory = self.driver.instance_dir(instance)
        self.assertTrue(os.path.exists(os.path.join(directory, "disk")))
        self.cloud.act(uuid, "stop", "stop_instance")
        self.cloud.wait_for(uuid, "stopped")
        self.assertEqual(PowerState.SHUTDOWN, self.driver.get_info(instance).state)
        self.cloud.act(uuid, "start", "start_instance")
        self.cloud.wait_active(uuid)
        self.assertEqual("", self.cloud.compute.get_console_output(self.cloud.ctxt, "lv",
                                                                   uuid))
        self.cloud.delete(uuid)
        self.cloud.wait_deleted(uuid)
        self.assertEqual(PowerState.NOSTATE, self.driver.get_info(instance).state)
        self.assertFalse(os.path.exists(directory))
        self.assertEqual({}, placement.allocations_of(SYSTEM, uuid))
        self.assertEqual({}, fakes.used("lv"))

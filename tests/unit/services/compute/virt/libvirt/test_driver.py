"""The libvirt driver against libvirt's in-memory test driver (test:///default): disks
with the real qemu-img, domains defined, started, powered, saved and removed."""
import os
import uuid
import xml.etree.ElementTree as ET

from common import exceptions
from common.compute_states import PowerState
from tests import backends
from tests.unit import base

try:
    import libvirt

    from services.compute.virt.libvirt import driver as libvirt_driver
except ImportError:
    libvirt = None

RAW_MB = 4


class LibvirtDriverTest(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        backends.require_module(libvirt, "libvirt-python")
        backends.require_binaries("qemu-img")
        self.flags("libvirt", connection_uri="test:///default")
        self.flags("compute", shutdown_timeout=5)
        store = os.path.join(self.state_path, "images")
        os.makedirs(store)
        self.write_image(store, "disk-image", RAW_MB << 20)
        self.write_image(store, "kernel-image", 1024)
        self.write_image(store, "ramdisk-image", 1024)
        self.driver = libvirt_driver.LibvirtDriver()
        self.driver.init_host("unit-host")
        self.addCleanup(self.driver.cleanup_host)

    @staticmethod
    def write_image(store: str, image_id: str, size: int) -> None:
        with open(os.path.join(store, image_id), "wb") as f:
            f.truncate(size)

    def instance(self, **overrides) -> dict:
        uuid_ = str(uuid.uuid4())
        instance = {"uuid": uuid_, "instance_name": f"instance-{uuid_[:8]}",
                    "display_name": "vm1", "hostname": "vm1", "project_id": "p",
                    "user_id": "u", "image_ref": "disk-image", "metadata": {},
                    "flavor": {"name": "m1.nano", "vcpus": 1, "memory_mb": 128,
                               "root_gb": 1, "ephemeral_gb": 0, "swap": 0},
                    "config_drive": False, **overrides}
        self.addCleanup(self.driver.destroy, instance)
        return instance

    def spawn(self, kernel: bool = False, **overrides) -> dict:
        instance = self.instance(**overrides)
        properties = ({"kernel_id": "kernel-image", "ramdisk_id": "ramdisk-image",
                       "os_command_line": "console=ttyS0 quiet"} if kernel else {})
        self.driver.spawn(instance, {"id": "disk-image", "disk_format": "raw",
                                     "properties": properties})
        return instance

    def xml(self, instance: dict) -> ET.Element:
        domain = self.driver.conn.lookupByUUIDString(instance["uuid"])
        return ET.fromstring(domain.XMLDesc(0))

    def state(self, instance: dict) -> int:
        return self.driver.get_info(instance).state

    def test_spawn_makes_an_overlay_on_the_cached_base_and_runs(self) -> None:
        instance = self.spawn()
        self.assertEqual(PowerState.RUNNING, self.state(instance))
        disk_path = os.path.join(self.driver.instance_dir(instance), "disk")
        details = libvirt_driver.disk.info(disk_path)
        self.assertEqual("qcow2", details["format"])
        self.assertEqual(1 << 30, details["virtual-size"])  # root_gb 1
        self.assertEqual(self.driver.cache.path("disk-image"), details["backing-filename"])
        domain = self.xml(instance)
        self.assertEqual(disk_path, domain.find("devices/disk/source").get("file"))
        self.assertEqual(instance["instance_name"], domain.find("name").text)
        self.assertIn(instance["uuid"], self.driver.list_instances())
        self.assertNotIn("test", [d.name() for d in self.driver.conn.listAllDomains(0)
                                  if d.UUIDString() in self.driver.list_instances()])

    def test_guests_of_another_host_on_the_same_libvirtd_are_not_listed(self) -> None:
        instance = self.spawn()
        other = libvirt_driver.LibvirtDriver()
        other.init_host("other-host")
        self.addCleanup(other.cleanup_host)
        self.assertNotIn(instance["uuid"], other.list_instances())
        self.assertIn(instance["uuid"], self.driver.list_instances())

    def test_direct_kernel_boot_when_the_image_names_a_kernel(self) -> None:
        instance = self.spawn(kernel=True)
        directory = self.driver.instance_dir(instance)
        domain = self.xml(instance)
        self.assertEqual(os.path.join(directory, "kernel"), domain.find("os/kernel").text)
        self.assertEqual(os.path.join(directory, "ramdisk"), domain.find("os/initrd").text)
        self.assertEqual("console=ttyS0 quiet", domain.find("os/cmdline").text)

    def test_config_drive(self) -> None:
        backends.require_binaries("genisoimage")
        instance = self.spawn(config_drive=True, metadata={"role": "web"})
        drive = os.path.join(self.driver.instance_dir(instance), "disk.config")
        with open(drive, "rb") as f:
            iso = f.read()
        self.assertIn(b"config-2", iso)
        self.assertIn(b'"role": "web"', iso)
        self.assertIn(b"network_data.json", iso)
        cdrom = self.xml(instance).find("devices/disk[@device='cdrom']/source")
        self.assertEqual(drive, cdrom.get("file"))

    def test_ephemeral_and_swap_disks(self) -> None:
        instance = self.spawn(flavor={"name": "f", "vcpus": 1, "memory_mb": 128,
                                      "root_gb": 1, "ephemeral_gb": 1, "swap": 256})
        targets = [disk.find("target").get("dev")
                   for disk in self.xml(instance).findall("devices/disk")]
        self.assertEqual(["vda", "vdb", "vdc"], targets)

    def test_power_operations(self) -> None:
        instance = self.spawn()
        self.driver.power_off(instance, timeout=5)
        self.assertEqual(PowerState.SHUTDOWN, self.state(instance))
        self.driver.power_off(instance, timeout=5)  # already off: nothing to do
        self.driver.power_on(instance)
        self.assertEqual(PowerState.RUNNING, self.state(instance))
        self.driver.pause(instance)
        self.assertEqual(PowerState.PAUSED, self.state(instance))
        self.driver.unpause(instance)
        self.driver.suspend(instance)
        self.assertEqual(PowerState.SUSPENDED, self.state(instance))
        self.driver.resume(instance)
        self.assertEqual(PowerState.RUNNING, self.state(instance))
        for kind in ("SOFT", "HARD"):
            self.driver.reboot(instance, kind, timeout=5)
            self.assertEqual(PowerState.RUNNING, self.state(instance))

    def test_destroy_leaves_no_domain_and_no_files(self) -> None:
        instance = self.spawn()
        directory = self.driver.instance_dir(instance)
        self.driver.destroy(instance)
        self.assertEqual(PowerState.NOSTATE, self.state(instance))
        self.assertFalse(os.path.exists(directory))
        self.assertNotIn(instance["uuid"], self.driver.list_instances())
        self.driver.destroy(instance)  # twice is fine
        with self.assertRaises(exceptions.InstanceNotFound):
            self.driver.power_on(instance)

    def test_snapshot_is_a_standalone_image(self) -> None:
        instance = self.spawn()
        target = os.path.join(self.state_path, "snap")
        self.driver.snapshot(instance, target, "qcow2")
        details = libvirt_driver.disk.info(target)
        self.assertEqual("qcow2", details["format"])
        self.assertNotIn("backing-filename", details)
        self.assertEqual(PowerState.RUNNING, self.state(instance))

    def test_console_output_of_a_guest_that_wrote_nothing(self) -> None:
        instance = self.spawn()
        self.assertEqual("", self.driver.get_console_output(instance))
        with open(os.path.join(self.driver.instance_dir(instance), "console.log"), "w") as f:
            f.write("booted\nSTRATO-TINY-READY\n")
        self.assertIn("STRATO-TINY-READY", self.driver.get_console_output(instance))

    def test_an_image_lying_about_its_format_is_refused(self) -> None:
        instance = self.instance()
        with self.assertRaises(exceptions.ImageUnacceptable):
            self.driver.spawn(instance, {"id": "disk-image", "disk_format": "qcow2"})
        self.assertEqual(PowerState.NOSTATE, self.state(instance))
        self.assertFalse(os.path.exists(self.driver.instance_dir(instance)))

    def test_missing_image(self) -> None:
        with self.assertRaises(exceptions.ImageNotFound):
            self.driver.spawn(self.instance(), {"id": "no-such-image"})

    def test_resize_on_the_same_host_confirm_and_revert(self) -> None:
        instance = self.spawn()
        bigger = {**instance["flavor"], "vcpus": 2, "root_gb": 2}
        for outcome in ("confirm", "revert"):
            info = self.driver.migrate_disk_and_power_off(instance, "unit-host", bigger, 5)
            resized = {**instance, "flavor": bigger}
            self.driver.finish_migration(resized, info, {}, power_on=True)
            self.assertEqual("2", self.xml(resized).find("vcpu").text)
            disk_path = os.path.join(self.driver.instance_dir(instance), "disk")
            self.assertEqual(2 << 30, libvirt_driver.disk.info(disk_path)["virtual-size"])
            if outcome == "confirm":
                self.driver.confirm_migration(resized, same_host=True)
                self.assertFalse(os.path.exists(info["backup"]))
                self.driver.migrate_disk_and_power_off(resized, "unit-host",
                                                       instance["flavor"] | {"root_gb": 2},
                                                       5)
                self.driver.finish_revert_migration(resized, {}, power_on=True)
            else:
                self.driver.finish_revert_migration(instance, {}, power_on=True)
                self.assertEqual("1", self.xml(instance).find("vcpu").text)
            self.assertEqual(PowerState.RUNNING, self.state(instance))

    def test_resize_refuses_to_shrink_the_disk(self) -> None:
        instance = self.spawn()
        with self.assertRaises(exceptions.ResizeError):
            self.driver.migrate_disk_and_power_off(instance, "unit-host",
                                                   {**instance["flavor"], "root_gb": 0})

    def test_host_resources(self) -> None:
        resources = self.driver.get_available_resources()
        self.assertGreater(resources.vcpus, 0)
        self.assertGreater(resources.memory_mb, 0)
        self.assertGreater(resources.local_gb, 0)
        self.assertIn("CUSTOM_HYPERVISOR_QEMU", resources.traits())

"""One real guest: the tiny image (devstack/tools/build-tiny-image.sh) booted by the
libvirt driver under QEMU, its marker read from the console log, an ACPI power-off,
then destroyed leaving no domain and no disk file.

Needs a running libvirtd (``STRATO_TEST_LIBVIRT_URI``, default qemu:///system) and
QEMU, skipped without them (failed under STRATO_TEST_REQUIRE_BACKENDS), and a host
kernel in /boot, skipped without it.
"""
import os
import time
import uuid

from common.compute_states import PowerState
from tests.functional.fixtures import tiny_guest
from tests.unit import base

BOOT_TIMEOUT = 120


class TinyGuestTest(base.TestCase):
    def setUp(self) -> None:
        tiny_guest.require_libvirtd()
        super().setUp()
        self.flags("libvirt", connection_uri=tiny_guest.URI, virt_type="qemu")
        store = os.path.join(self.state_path, "images")
        for image_id, path in tiny_guest.build_image(store).items():
            os.rename(path, os.path.join(store, image_id))
        from services.compute.virt.libvirt import driver
        self.driver = driver.LibvirtDriver()
        self.driver.init_host("tiny-host")
        self.addCleanup(self.driver.cleanup_host)

    def wait_for_console(self, instance: dict, marker: str, count: int = 1) -> float:
        started = time.monotonic()
        while self.driver.get_console_output(instance).count(marker) < count:
            if time.monotonic() - started > BOOT_TIMEOUT:
                self.fail(f"no {marker} within {BOOT_TIMEOUT}s:\n"
                          f"{self.driver.get_console_output(instance)[-2000:]}")
            time.sleep(0.5)
        return time.monotonic() - started

    def test_tiny_guest_boots_powers_off_and_leaves_nothing(self) -> None:
        instance = {"uuid": str(uuid.uuid4()), "instance_name": "strato-test-tiny",
                    "display_name": "tiny", "hostname": "tiny", "project_id": "p",
                    "user_id": "u", "metadata": {}, "config_drive": True,
                    "flavor": {"name": "m1.nano", "vcpus": 1, "memory_mb": 128,
                               "root_gb": 1, "ephemeral_gb": 0, "swap": 0}}
        image_meta = {"id": "disk", "disk_format": "ami",
                      "properties": {"kernel_id": "kernel", "ramdisk_id": "ramdisk",
                                     "os_command_line": tiny_guest.COMMAND_LINE}}
        self.addCleanup(self.driver.destroy, instance)
        self.driver.spawn(instance, image_meta)
        booted_in = self.wait_for_console(instance, "STRATO-TINY-READY")
        self.assertEqual(PowerState.RUNNING, self.driver.get_info(instance).state)
        print(f"tiny guest ready in {booted_in:.1f}s")

        started = time.monotonic()
        self.driver.power_off(instance, timeout=30)
        self.assertEqual(PowerState.SHUTDOWN, self.driver.get_info(instance).state)
        self.assertIn("STRATO-TINY-POWEROFF", self.driver.get_console_output(instance))
        self.assertLess(time.monotonic() - started, 30, "ACPI power-off was not honoured")

        directory = self.driver.instance_dir(instance)
        self.assertTrue(os.path.exists(os.path.join(directory, "disk")))
        self.driver.destroy(instance)
        self.assertEqual(PowerState.NOSTATE, self.driver.get_info(instance).state)
        self.assertNotIn(instance["uuid"], self.driver.list_instances())
        self.assertFalse(os.path.exists(directory))

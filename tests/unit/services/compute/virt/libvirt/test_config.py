"""The domain XML builder."""
import xml.etree.ElementTree as ET

from services.compute.virt.libvirt import config
from tests.unit import base


def guest(**overrides) -> config.Guest:
    values = {"name": "instance-00000001", "uuid": "6b0c2a3e-7a4e-4f0e-9d4c-2f1b8f5e0a11",
              "memory_mb": 128, "vcpus": 1, "virt_type": "qemu", "tb_cache_mb": 32,
              "console_log": "/var/lib/strato/instances/x/console.log",
              "disks": [config.Disk("/i/disk", "vda")],
              "metadata": {"name": "vm1", "flavor": "m1.nano"}}
    return config.Guest(**{**values, **overrides})


def parse(g: config.Guest) -> ET.Element:
    return ET.fromstring(config.domain_xml(g))


class DomainXMLTest(base.TestCase):
    def test_tcg_guest_with_tb_cache_and_appending_serial_log(self) -> None:
        domain = parse(guest())
        self.assertEqual("qemu", domain.get("type"))
        self.assertEqual("32", domain.find("features/tcg/tb-cache").text)
        self.assertEqual("MiB", domain.find("features/tcg/tb-cache").get("unit"))
        source = domain.find("devices/serial[@type='file']/source")
        self.assertEqual(("/var/lib/strato/instances/x/console.log", "on"),
                         (source.get("path"), source.get("append")))
        self.assertEqual("128", domain.find("memory").text)
        self.assertEqual("MiB", domain.find("memory").get("unit"))
        self.assertIsNone(domain.find("cpu"))

    def test_kvm_has_host_model_cpu_and_no_tcg(self) -> None:
        domain = parse(guest(virt_type="kvm"))
        self.assertEqual("host-model", domain.find("cpu").get("mode"))
        self.assertIsNone(domain.find("features/tcg"))

    def test_direct_kernel_boot_or_disk_boot(self) -> None:
        domain = parse(guest(kernel="/i/kernel", initrd="/i/ramdisk",
                             cmdline="console=ttyS0 quiet"))
        self.assertEqual("/i/kernel", domain.find("os/kernel").text)
        self.assertEqual("/i/ramdisk", domain.find("os/initrd").text)
        self.assertEqual("console=ttyS0 quiet", domain.find("os/cmdline").text)
        self.assertIsNone(domain.find("os/boot"))
        disk_boot = parse(guest())
        self.assertIsNone(disk_boot.find("os/kernel"))
        self.assertEqual("hd", disk_boot.find("os/boot").get("dev"))

    def test_disks_and_config_drive(self) -> None:
        domain = parse(guest(disks=[
            config.Disk("/i/disk", "vda", cache="writeback"),
            config.Disk("/i/disk.config", "hdd", format="raw", bus="ide", device="cdrom",
                        readonly=True)]))
        root, drive = domain.findall("devices/disk")
        self.assertEqual(("qcow2", "writeback"), (root.find("driver").get("type"),
                                                   root.find("driver").get("cache")))
        self.assertEqual(("vda", "virtio"), (root.find("target").get("dev"),
                                             root.find("target").get("bus")))
        self.assertEqual("cdrom", drive.get("device"))
        self.assertIsNotNone(drive.find("readonly"))

    def test_ethernet_interface_on_a_named_tap_with_offloads_off(self) -> None:
        domain = parse(guest(interfaces=[config.Interface("tap5d1f0c57-3b",
                                                          "fa:16:3e:12:34:56", mtu=1442)]))
        interface = domain.find("devices/interface")
        self.assertEqual("ethernet", interface.get("type"))
        # libvirt only makes the tap: the compute agent plugs it into OVS
        self.assertIsNone(interface.find("source"))
        self.assertIsNone(interface.find("virtualport"))
        self.assertEqual("tap5d1f0c57-3b", interface.find("target").get("dev"))
        self.assertEqual("fa:16:3e:12:34:56", interface.find("mac").get("address"))
        self.assertEqual("virtio", interface.find("model").get("type"))
        self.assertEqual("1442", interface.find("mtu").get("size"))
        host = interface.find("driver/host").attrib
        self.assertEqual({"csum", "gso", "tso4", "tso6", "ecn", "ufo"}, set(host))
        self.assertEqual({"off"}, set(host.values()))
        self.assertEqual("off", interface.find("driver/guest").get("csum"))
        plain = parse(guest(interfaces=[config.Interface("tap5d1f0c57-3b",
                                                         "fa:16:3e:00:00:01",
                                                         disable_offloads=False)]))
        self.assertIsNone(plain.find("devices/interface/driver"))

    def test_metadata_in_strato_namespace(self) -> None:
        domain = parse(guest())
        ns = {"strato": config.METADATA_NS}
        self.assertEqual("vm1", domain.find("metadata/strato:instance/strato:name", ns).text)
        self.assertEqual("m1.nano",
                         domain.find("metadata/strato:instance/strato:flavor", ns).text)

    def test_a_moved_domain_has_the_destination_paths_and_host(self) -> None:
        source, dest = "/hosts/a/instances/x", "/hosts/b/instances/x"
        original = config.domain_xml(guest(
            kernel=f"{source}/kernel", initrd=f"{source}/ramdisk", cmdline="console=ttyS0",
            console_log=f"{source}/console.log", disks=[config.Disk(f"{source}/disk", "vda")],
            metadata={"name": "vm1", "host": "a"}))
        domain = ET.fromstring(config.moved_domain_xml(original, source, dest, "b"))
        ns = {"strato": config.METADATA_NS}
        self.assertEqual((f"{dest}/kernel", f"{dest}/ramdisk", "console=ttyS0"),
                         (domain.find("os/kernel").text, domain.find("os/initrd").text,
                          domain.find("os/cmdline").text))
        self.assertEqual(f"{dest}/disk", domain.find("devices/disk/source").get("file"))
        self.assertEqual(f"{dest}/console.log",
                         domain.find("devices/serial/source").get("path"))
        self.assertEqual("b", domain.find("metadata/strato:instance/strato:host", ns).text)
        self.assertNotIn(source, config.moved_domain_xml(original, source, dest, "b"))

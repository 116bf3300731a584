"""Libvirt domain XML of a guest, built from a GuestConfig.

What matters on this kind of host (see the libvirt facts): TCG with a 32 MiB
translation-block cache, a file serial console with ``append='on'`` (a restore or
restart must not truncate the log os-getConsoleOutput reads), NICs as plain tap devices
of a known name (``type='ethernet'``: the compute agent plugs them into OVS itself, see
services/compute/vifs.py), with checksum/segmentation offloads off for the userspace
datapath.
"""
import dataclasses
import xml.etree.ElementTree as ET

METADATA_NS = "https://strato.cloud/xmlns/libvirt/instance/1.0"
METADATA_PREFIX = "strato"

_OFFLOADS_HOST = ("csum", "gso", "tso4", "tso6", "ecn", "ufo")
_OFFLOADS_GUEST = ("csum", "tso4", "tso6", "ecn", "ufo")


@dataclasses.dataclass
class Disk:
    path: str
    target: str  # vda, vdb, hdd
    format: str = "qcow2"
    bus: str = "virtio"
    device: str = "disk"  # disk | cdrom
    cache: str = "none"
    readonly: bool = False


@dataclasses.dataclass
class Interface:
    device: str  # the tap libvirt creates, and the agent plugs into OVS
    mac: str
    mtu: int | None = None
    disable_offloads: bool = True


@dataclasses.dataclass
class Guest:
    name: str
    uuid: str
    memory_mb: int
    vcpus: int
    virt_type: str = "qemu"
    machine: str = "pc"
    arch: str = "x86_64"
    kernel: str | None = None
    initrd: str | None = None
    cmdline: str | None = None
    disks: list[Disk] = dataclasses.field(default_factory=list)
    interfaces: list[Interface] = dataclasses.field(default_factory=list)
    console_log: str | None = None
    tb_cache_mb: int = 0
    metadata: dict[str, str] = dataclasses.field(default_factory=dict)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrib.items()})
    if text is not None:
        element.text = text
    return element


def _os(domain: ET.Element, guest: Guest) -> None:
    os_element = _sub(domain, "os")
    _sub(os_element, "type", "hvm", arch=guest.arch, machine=guest.machine)
    if guest.kernel:
        _sub(os_element, "kernel", guest.kernel)
        if guest.initrd:
            _sub(os_element, "initrd", guest.initrd)
        if guest.cmdline:
            _sub(os_element, "cmdline", guest.cmdline)
    else:
        _sub(os_element, "boot", dev="hd")


def _features(domain: ET.Element, guest: Guest) -> None:
    features = _sub(domain, "features")
    _sub(features, "acpi")
    _sub(features, "apic")
    if guest.virt_type == "qemu" and guest.tb_cache_mb:
        # -accel tcg,tb-size=N: about 20 MB less RSS per guest than QEMU's default.
        _sub(_sub(features, "tcg"), "tb-cache", str(guest.tb_cache_mb), unit="MiB")


def _metadata(domain: ET.Element, guest: Guest) -> None:
    ET.register_namespace(METADATA_PREFIX, METADATA_NS)
    instance = _sub(_sub(domain, "metadata"), f"{{{METADATA_NS}}}instance")
    for key, value in sorted(guest.metadata.items()):
        _sub(instance, f"{{{METADATA_NS}}}{key}", value)


def metadata_host(metadata_xml: str) -> str:
    """The compute host named in a domain's Strato metadata element ("" if none), as
    libvirt returns the element: without its namespace."""
    return ET.fromstring(metadata_xml).findtext("host") or ""


def _disk(devices: ET.Element, disk: Disk) -> None:
    element = _sub(devices, "disk", type="file", device=disk.device)
    _sub(element, "driver", name="qemu", type=disk.format, cache=disk.cache)
    _sub(element, "source", file=disk.path)
    _sub(element, "target", dev=disk.target, bus=disk.bus)
    if disk.readonly:
        _sub(element, "readonly")


def _interface(devices: ET.Element, interface: Interface) -> None:
    # libvirt creates the tap on start and removes it on stop; it never touches OVS.
    element = _sub(devices, "interface", type="ethernet")
    _sub(element, "mac", address=interface.mac)
    _sub(element, "target", dev=interface.device)
    _sub(element, "model", type="virtio")
    if interface.mtu:
        _sub(element, "mtu", size=str(interface.mtu))
    if interface.disable_offloads:
        # OVS's netdev datapath never fills in checksums the guest offloaded.
        driver = _sub(element, "driver")
        _sub(driver, "host", **dict.fromkeys(_OFFLOADS_HOST, "off"))
        _sub(driver, "guest", **dict.fromkeys(_OFFLOADS_GUEST, "off"))


def _console(devices: ET.Element, guest: Guest) -> None:
    if guest.console_log:
        serial = _sub(devices, "serial", type="file")
        _sub(serial, "source", path=guest.console_log, append="on")
        _sub(serial, "target", port="0")
    else:
        _sub(_sub(devices, "serial", type="pty"), "target", port="0")


def domain_xml(guest: Guest) -> str:
    domain = ET.Element("domain", type=guest.virt_type)
    _sub(domain, "name", guest.name)
    _sub(domain, "uuid", guest.uuid)
    _metadata(domain, guest)
    _sub(domain, "memory", str(guest.memory_mb), unit="MiB")
    _sub(domain, "vcpu", str(guest.vcpus))
    _os(domain, guest)
    _features(domain, guest)
    if guest.virt_type == "kvm":
        _sub(domain, "cpu", mode="host-model")
    _sub(domain, "clock", offset="utc")
    _sub(domain, "on_poweroff", "destroy")
    _sub(domain, "on_reboot", "restart")
    _sub(domain, "on_crash", "destroy")
    devices = _sub(domain, "devices")
    for disk in guest.disks:
        _disk(devices, disk)
    for interface in guest.interfaces:
        _interface(devices, interface)
    _console(devices, guest)
    _sub(devices, "memballoon", model="none")
    ET.indent(domain)
    return ET.tostring(domain, encoding="unicode")


def moved_domain_xml(xml: str, source_dir: str, dest_dir: str, host: str) -> str:
    """A running domain's migratable XML as the destination host runs it: every path
    under the instance's directory on the source moved to its directory on the
    destination, and the destination named in Strato's metadata. The rest (devices and
    their addresses) stays as it is, which libvirt's ABI check asks of a migration."""
    ET.register_namespace(METADATA_PREFIX, METADATA_NS)
    domain = ET.fromstring(xml)

    def moved(value: str) -> str:
        return dest_dir + value[len(source_dir):] if value.startswith(source_dir + "/") \
            else value

    for element in domain.iter():
        for key, value in element.attrib.items():
            element.set(key, moved(value))
        if element.text and element.text.strip():
            element.text = moved(element.text)
    owner = domain.find(f"metadata/{{{METADATA_NS}}}instance/{{{METADATA_NS}}}host")
    if owner is not None:
        owner.text = host
    return ET.tostring(domain, encoding="unicode")

"""What the real-guest tests need: a libvirtd to boot on (``STRATO_TEST_LIBVIRT_URI``,
default qemu:///system) and the tiny image (devstack/tools/build-tiny-image.sh: the
host's kernel, a busybox initramfs that prints its DHCP lease, a blank disk)."""
import os
import shutil
import subprocess

from tests.functional import fixtures

try:
    import libvirt
except ImportError:
    libvirt = None

URI = os.environ.get("STRATO_TEST_LIBVIRT_URI", "qemu:///system")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BUILD_SCRIPT = os.path.join(ROOT, "devstack", "tools", "build-tiny-image.sh")
COMMAND_LINE = "console=ttyS0 quiet panic=-1"
# The names build-tiny-image.sh gives its files.
FILES = {"kernel": "strato-tiny-vmlinuz", "ramdisk": "strato-tiny-initrd.img",
         "disk": "strato-tiny-disk.raw"}


def require_libvirtd() -> None:
    if libvirt is None:
        fixtures.backend_missing("libvirt-python is not installed")
    if shutil.which("qemu-system-x86_64") is None:
        fixtures.backend_missing("qemu-system-x86_64 is not installed")
    try:
        libvirt.registerErrorHandler(lambda _ctx, _error: None, None)
        libvirt.open(URI).close()
    except libvirt.libvirtError as error:
        fixtures.backend_missing(f"no libvirtd at {URI}: {error}")


def build_image(directory: str) -> dict[str, str]:
    """The image's files in ``directory``: {kernel, ramdisk, disk: path}. Skips the
    test when the host has no kernel to boot (or no busybox-static)."""
    result = subprocess.run(["bash", BUILD_SCRIPT, directory], capture_output=True,
                            text=True, timeout=120)
    if result.returncode:
        fixtures.backend_missing(f"cannot build the tiny image: {result.stderr.strip()}")
    return {part: os.path.join(directory, name) for part, name in FILES.items()}

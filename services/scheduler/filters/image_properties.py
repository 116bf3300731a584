"""ImagePropertiesFilter: the host supports the image's architecture, hypervisor type
and VM mode. Hosts report these as traits (HW_ARCH_X86_64, CUSTOM_HYPERVISOR_QEMU,
CUSTOM_VM_MODE_HVM)."""
from services.scheduler.filters import BaseFilter
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest

# (current property name, legacy name, trait prefix)
_PROPERTIES = (("hw_architecture", "architecture", "HW_ARCH_"),
               ("img_hv_type", "hypervisor_type", "CUSTOM_HYPERVISOR_"),
               ("hw_vm_mode", "vm_mode", "CUSTOM_VM_MODE_"))
_ARCH_ALIASES = {"amd64": "x86_64", "x64": "x86_64", "i386": "i686", "x86": "i686",
                 "arm64": "aarch64"}


def _trait_value(prefix: str, value: str) -> str:
    value = value.strip().lower()
    if prefix == "HW_ARCH_":
        value = _ARCH_ALIASES.get(value, value)
    return prefix + value.upper().replace("-", "_")


def required_traits(properties: dict) -> set[str]:
    """The traits a host needs to run an image with these properties."""
    traits = set()
    for name, legacy, prefix in _PROPERTIES:
        value = properties.get(name) or properties.get(legacy)
        if value:
            traits.add(_trait_value(prefix, str(value)))
    return traits


class ImagePropertiesFilter(BaseFilter):
    def __init__(self) -> None:
        self.needed: set[str] = set()

    def applies(self, request: SchedulingRequest) -> bool:
        self.needed = required_traits(request.image_properties)
        return bool(self.needed)

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return self.needed <= host.traits

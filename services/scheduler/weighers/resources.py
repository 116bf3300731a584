"""RAM, CPU and disk weighers: more free resource, more weight (spread by default)."""
import operator
from collections.abc import Sequence

from common.config import CONF
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest
from services.scheduler.weighers import BaseWeigher


class _FreeResourceWeigher(BaseWeigher):
    attribute = ""  # HostState.free_*
    option = ""

    def multiplier(self) -> float:
        return getattr(CONF.scheduler, self.option)

    def raw_weights(self, hosts: Sequence[HostState],
                    request: SchedulingRequest) -> list[float]:
        return list(map(operator.attrgetter(self.attribute), hosts))


class RAMWeigher(_FreeResourceWeigher):
    attribute = "free_ram_mb"
    option = "ram_weight_multiplier"


class CPUWeigher(_FreeResourceWeigher):
    attribute = "free_vcpu"
    option = "cpu_weight_multiplier"


class DiskWeigher(_FreeResourceWeigher):
    attribute = "free_disk_gb"
    option = "disk_weight_multiplier"

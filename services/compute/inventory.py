"""The host's inventories as the scheduler sees them: what the driver reports, minus
the reserved amounts, under the allocation ratios, all from this agent's config.

A ratio left unset is sent as None: placement keeps the provider's current ratio, or
uses the ``initial_*`` ratio for a new host (Nova's semantics).
"""
import math

from oslo_config import cfg

from common import resource_classes as rc
from services.compute.virt.driver import HostResources


def _inventory(total: int, reserved: int, ratio: float | None,
               initial_ratio: float) -> dict:
    return {"total": total, "reserved": min(reserved, total), "min_unit": 1,
            "max_unit": total, "step_size": 1, "allocation_ratio": ratio,
            "initial_allocation_ratio": initial_ratio}


def inventories(resources: HostResources, conf: cfg.ConfigOpts) -> dict[str, dict]:
    compute = conf.compute
    return {
        rc.VCPU: _inventory(resources.vcpus, compute.reserved_host_cpus,
                            compute.cpu_allocation_ratio,
                            compute.initial_cpu_allocation_ratio),
        rc.MEMORY_MB: _inventory(resources.memory_mb, compute.reserved_host_memory_mb,
                                 compute.ram_allocation_ratio,
                                 compute.initial_ram_allocation_ratio),
        rc.DISK_GB: _inventory(resources.local_gb,
                               math.ceil(compute.reserved_host_disk_mb / 1024),
                               compute.disk_allocation_ratio,
                               compute.initial_disk_allocation_ratio),
    }

"""Helpers of the scheduler, conductor and compute unit tests: hosts, flavors,
instances in the test's SQLite database."""
from typing import Any

from common import context
from common.db.api import compute_instances, compute_server_groups, placement, services
from services.scheduler.request import make_request_spec
from tests.unit.base import SYSTEM

PROJECT = "project-1"
USER = "user-1"
CONTEXT = context.RequestContext(user_id=USER, project_id=PROJECT, request_id="req-test")


def flavor(vcpus: int = 1, memory_mb: int = 512, root_gb: int = 1, name: str = "m1.test",
           extra_specs: dict | None = None, **more: Any) -> dict:
    """A flavor snapshot, as compute_flavors.snapshot makes them."""
    return {"id": name, "name": name, "vcpus": vcpus, "memory_mb": memory_mb,
            "root_gb": root_gb, "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0,
            "is_public": True, "description": None, "extra_specs": extra_specs or {},
            **more}


def inventory(total: int, reserved: int = 0, ratio: float = 1.0) -> dict:
    return {"total": total, "reserved": reserved, "min_unit": 1, "max_unit": total,
            "step_size": 1, "allocation_ratio": ratio}


def add_host(name: str, vcpus: int = 8, memory_mb: int = 8192, disk_gb: int = 100,
             up: bool = True, traits: tuple[str, ...] = ("HW_ARCH_X86_64",),
             cpu_ratio: float = 1.0) -> None:
    """A compute host: its provider with inventories, and (if up) a fresh heartbeat."""
    placement.set_inventory(SYSTEM, name, {"VCPU": inventory(vcpus, ratio=cpu_ratio),
                                   "MEMORY_MB": inventory(memory_mb),
                                   "DISK_GB": inventory(disk_gb)}, traits)
    if up:
        services.heartbeat(context.get_admin_context(), name, "strato-compute", "compute", "test")


def create_instance(flavor_snapshot: dict, group_uuid: str | None = None,
                    request_id: str = "req-test", **values: Any) -> str:
    instance = compute_instances.create(SYSTEM,
        {"display_name": "vm", "project_id": PROJECT, "user_id": USER,
         "flavor": flavor_snapshot, "image_ref": "image-1", **values},
        server_group_uuid=group_uuid, request_id=request_id)
    return instance.uuid


def request_spec(flavor_snapshot: dict, group_uuid: str | None = None,
                 **kwargs: Any) -> dict:
    group = (compute_server_groups.to_spec(compute_server_groups.get(CONTEXT, group_uuid))
             if group_uuid else None)
    return make_request_spec(flavor_snapshot, {"id": "image-1", "properties": {}}, PROJECT,
                             USER, instance_group=group, **kwargs)


def used(host: str) -> dict[str, int]:
    return placement.usages(SYSTEM, [host]).get(host, {})

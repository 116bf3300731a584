"""The request spec the api builds and the scheduler reads, and its parsed form.

A request spec is plain JSON (it rides RPC and is stored with the instance)::

    {"project_id", "user_id",
     "flavor": {"id", "name", "vcpus", "memory_mb", "root_gb", "ephemeral_gb", "swap",
                "extra_specs": {...}},            # compute_flavors.snapshot()
     "image": {"id", "name", "disk_format", "container_format", "min_disk", "min_ram",
               "size", "properties": {...}},     # kernel_id, hw_architecture, ...
     "availability_zone": "nova" | None,
     "instance_group": {"uuid", "policy", "rules"} | None,  # compute_server_groups.to_spec()
     "scheduler_hints": {...},
     "force_hosts": ["host"] | None,             # admin "az:host" boot (no filters)
     "requested_host": "host" | None,            # a migration's --host (filters apply)
     "ignore_hosts": ["host"],                   # hosts already tried
     "requested_networks": ..., "num_instances": 1}
"""
import dataclasses
from collections.abc import Mapping
from typing import Any

from common.db.api import placement

# Flavor extra spec / image property namespace of required and forbidden traits.
TRAIT_PREFIX = "trait:"


def make_request_spec(flavor: Mapping[str, Any], image: Mapping[str, Any] | None,
                      project_id: str, user_id: str, availability_zone: str | None = None,
                      instance_group: Mapping[str, Any] | None = None,
                      scheduler_hints: Mapping[str, Any] | None = None,
                      force_hosts: list[str] | None = None,
                      requested_networks: Any = None, num_instances: int = 1) -> dict:
    """A request spec in the shape above (what the api passes to build_instances)."""
    return {"project_id": project_id, "user_id": user_id, "flavor": dict(flavor),
            "image": dict(image or {}), "availability_zone": availability_zone,
            "instance_group": dict(instance_group) if instance_group else None,
            "scheduler_hints": dict(scheduler_hints or {}),
            "force_hosts": list(force_hosts) if force_hosts else None, "ignore_hosts": [],
            "requested_networks": requested_networks, "num_instances": num_instances}


def _traits(specs: Mapping[str, str]) -> tuple[set[str], set[str]]:
    required, forbidden = set(), set()
    for key, value in specs.items():
        if key.startswith(TRAIT_PREFIX):
            name = key[len(TRAIT_PREFIX):]
            if value == "required":
                required.add(name)
            elif value == "forbidden":
                forbidden.add(name)
    return required, forbidden


@dataclasses.dataclass
class SchedulingRequest:
    """A request spec parsed once per select_destinations, read by filters and weighers."""

    spec: Mapping[str, Any]
    resources: dict[str, int]
    availability_zone: str | None
    extra_specs: dict[str, str]
    image_properties: dict[str, Any]
    required_traits: set[str]
    forbidden_traits: set[str]
    group: Mapping[str, Any] | None
    # {host: number of the group's members there}; grows as this request places some.
    group_hosts: dict[str, int]
    ignore_hosts: set[str]
    force_hosts: set[str]
    requested_host: str | None = None

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], group_hosts: dict[str, int]) -> "SchedulingRequest":
        flavor = spec["flavor"]
        extra_specs = dict(flavor.get("extra_specs") or {})
        image_properties = dict((spec.get("image") or {}).get("properties") or {})
        required, forbidden = _traits(extra_specs)
        image_required, image_forbidden = _traits(image_properties)
        return cls(spec=spec, resources=placement.resources_for_flavor(flavor),
                   availability_zone=spec.get("availability_zone"),
                   extra_specs=extra_specs, image_properties=image_properties,
                   required_traits=required | image_required,
                   forbidden_traits=forbidden | image_forbidden,
                   group=spec.get("instance_group"), group_hosts=group_hosts,
                   ignore_hosts=set(spec.get("ignore_hosts") or ()),
                   force_hosts=set(spec.get("force_hosts") or ()),
                   requested_host=spec.get("requested_host"))

    @property
    def group_policy(self) -> str | None:
        return self.group["policy"] if self.group else None

    def placed(self, host: str) -> None:
        """Count an instance of this request placed on ``host`` (group policies)."""
        if self.group:
            self.group_hosts[host] = self.group_hosts.get(host, 0) + 1

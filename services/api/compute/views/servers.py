"""Server bodies per microversion, with exactly Nova's fields at each one.

Three shapes: ``summary`` (GET /servers: id, name, links), ``show`` (GET /servers/{id}
and /servers/detail: everything the caller may see) and ``common`` (PUT /servers/{id}
and rebuild, which Nova answers without the extension attributes before 2.75).

What changes with the version (on top of 2.1):
2.3 more OS-EXT-SRV-ATTR fields (admin); 2.9 locked; 2.16 host_status (admin);
2.19 description; 2.26 tags; 2.47 the flavor embedded instead of linked;
rebuild only: 2.54 key_name, 2.57 user_data.
"""
import dataclasses
import hashlib
from typing import Any

from common import compute_states
from common.db.api import compute_instances
from common.db.api.compute_instances import FaultRecord, InstanceRecord
from services.api.compute.microversion import Version
from services.api.compute.views import common

# Statuses whose servers show "progress" (Nova's _progress_statuses).
_PROGRESS = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING")
_FAULT = ("ERROR", "DELETED")


@dataclasses.dataclass
class Extras:
    """What a page of servers needs beyond their rows, loaded once per page."""

    version: Version
    extended_attributes: bool = False  # OS-EXT-SRV-ATTR:* (admins, by policy)
    faults: dict[str, FaultRecord] = dataclasses.field(default_factory=dict)
    tags: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    addresses: dict[str, dict] = dataclasses.field(default_factory=dict)
    host_status: dict[str, str] = dataclasses.field(default_factory=dict)
    security_groups: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    show_fault_details: bool = False


def summary(instance: InstanceRecord) -> dict[str, Any]:
    return {"id": instance.uuid, "name": instance.display_name,
            "links": common.links("servers", instance.uuid)}


def host_id(instance: InstanceRecord) -> str:
    """Nova's hostId: the same for a project's servers on one host, "" without a host."""
    if not instance.host:
        return ""
    return hashlib.sha224((instance.project_id + instance.host).encode()).hexdigest()


def _image(instance: InstanceRecord) -> dict[str, Any] | str:
    if not instance.image_ref:
        return ""  # booted from a volume
    return {"id": instance.image_ref, "links": [common.bookmark("images",
                                                               instance.image_ref)]}


def _flavor(instance: InstanceRecord, version: Version) -> dict[str, Any]:
    flavor = instance.flavor or {}
    if version < (2, 47):
        return {"id": flavor.get("id", instance.flavor_id),
                "links": [common.bookmark("flavors", flavor.get("id", instance.flavor_id))]}
    return {"vcpus": flavor.get("vcpus", 0), "ram": flavor.get("memory_mb", 0),
            "disk": flavor.get("root_gb", 0), "ephemeral": flavor.get("ephemeral_gb", 0),
            "swap": flavor.get("swap", 0), "original_name": flavor.get("name", ""),
            "extra_specs": dict(flavor.get("extra_specs") or {})}


def _fault(fault: FaultRecord, details: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"code": fault.code, "message": fault.message,
                            "created": common.zulu(fault.created_at)}
    # Nova hides a 500's details (a traceback) from everyone but admins.
    if fault.details and (details or fault.code != 500):
        body["details"] = fault.details
    return body


def common_fields(instance: InstanceRecord, extras: Extras,
                  extended_addresses: bool = True) -> dict[str, Any]:
    """The fields of every full server body. Update and rebuild answer with these, and
    without the OS-EXT-IPS address attributes (``extended_addresses``), as Nova does."""
    version = extras.version
    status = compute_states.status_of(instance.vm_state, instance.task_state)
    body: dict[str, Any] = {
        "id": instance.uuid, "name": instance.display_name, "status": status,
        "tenant_id": instance.project_id, "user_id": instance.user_id,
        "metadata": dict(instance.metadata),
        "hostId": host_id(instance), "image": _image(instance),
        "flavor": _flavor(instance, version), "created": common.zulu(instance.created_at),
        "updated": common.zulu(instance.updated_at or instance.created_at),
        "addresses": _addresses(extras.addresses.get(instance.uuid, {}), extended_addresses),
        "accessIPv4": instance.access_ip_v4 or "", "accessIPv6": instance.access_ip_v6 or "",
        "links": common.links("servers", instance.uuid), "OS-DCF:diskConfig": "MANUAL"}
    if status in _PROGRESS:
        body["progress"] = instance.progress or 0
    fault = extras.faults.get(instance.uuid)
    if status in _FAULT and fault is not None:
        body["fault"] = _fault(fault, extras.show_fault_details)
    if version >= (2, 9):
        body["locked"] = bool(instance.locked)
    if version >= (2, 19):
        body["description"] = instance.display_description
    if version >= (2, 26):
        body["tags"] = extras.tags.get(instance.uuid, [])
    if version >= (2, 63):
        # certificates are refused at create and rebuild (no signature verification)
        body["trusted_image_certificates"] = None
    return body


def _addresses(addresses: dict[str, list[dict]], extended: bool) -> dict[str, list[dict]]:
    if extended:
        return addresses
    return {network: [{"addr": item["addr"], "version": item["version"]} for item in items]
            for network, items in addresses.items()}


def rebuilt(instance: InstanceRecord, extras: Extras) -> dict[str, Any]:
    """The rebuild action's body: the common fields, plus key_name (2.54) and user_data
    (2.57)."""
    body = common_fields(instance, extras, extended_addresses=False)
    if extras.version >= (2, 54):
        body["key_name"] = instance.key_name
    if extras.version >= (2, 57):
        body["user_data"] = instance.user_data
    return body


def show(instance: InstanceRecord, extras: Extras) -> dict[str, Any]:
    body = common_fields(instance, extras)
    power_state = instance.power_state
    if power_state not in compute_states.PowerState.NAMES:
        power_state = compute_states.PowerState.NOSTATE
    body.update({
        "key_name": instance.key_name, "config_drive": "True" if instance.config_drive else "",
        "OS-EXT-AZ:availability_zone": instance.availability_zone or "",
        "OS-EXT-STS:vm_state": instance.vm_state, "OS-EXT-STS:task_state": instance.task_state,
        "OS-EXT-STS:power_state": power_state,
        "OS-SRV-USG:launched_at": common.iso(instance.launched_at),
        "OS-SRV-USG:terminated_at": common.iso(instance.terminated_at),
        "os-extended-volumes:volumes_attached": []})
    groups = extras.security_groups.get(instance.uuid)
    if groups:  # Nova leaves the key out for a server without any
        body["security_groups"] = [{"name": name} for name in groups]
    if extras.extended_attributes:
        body.update(_extended_attributes(instance, extras.version))
    if instance.uuid in extras.host_status:
        body["host_status"] = extras.host_status[instance.uuid]
    return body


def _extended_attributes(instance: InstanceRecord, version: Version) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "OS-EXT-SRV-ATTR:host": instance.host,
        "OS-EXT-SRV-ATTR:hypervisor_hostname": instance.node,
        "OS-EXT-SRV-ATTR:instance_name": compute_instances.instance_name(instance.id)}
    if version >= (2, 3):
        properties = (instance.image_meta or {}).get("properties") or {}
        attributes.update({
            "OS-EXT-SRV-ATTR:reservation_id": instance.reservation_id,
            "OS-EXT-SRV-ATTR:launch_index": instance.launch_index,
            "OS-EXT-SRV-ATTR:hostname": instance.hostname,
            "OS-EXT-SRV-ATTR:kernel_id": properties.get("kernel_id", ""),
            "OS-EXT-SRV-ATTR:ramdisk_id": properties.get("ramdisk_id", ""),
            "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
            "OS-EXT-SRV-ATTR:user_data": instance.user_data})
    return attributes

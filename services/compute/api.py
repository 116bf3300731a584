"""The compute API without HTTP, in the role of Nova's compute/api.py: what the api's
server handlers (and operator tools and the conductor's own flows) call to create
servers and act on them.

Each function takes the request context, the instance and the action's arguments
(already parsed from the request body), checks them against what exists (flavors,
images, keypairs, networks, quotas, the instance's state), records the action
(compute_instances.begin_action) and casts ONE RPC: to the instance's compute agent,
or to the conductor for the flows it runs (build, delete, resize). A refusal is an
exception of common.exceptions before anything is written.
"""
import dataclasses
import secrets
import string
from typing import Any

from common import context, exceptions, image_store, policy
from common.compute_states import VMState
from common.db.api import (
    compute_actions,
    compute_flavors,
    compute_hosts,
    compute_instances,
    compute_keypairs,
    compute_migrations,
    compute_network,
    compute_server_groups,
)
from common.db.api import images as images_db
from common.db.api import services as services_db
from common.db.api.compute_instances import InstanceRecord
from services.compute import quotas
from services.compute import rpcapi as compute_rpcapi
from services.conductor import rpcapi as conductor_rpcapi
from services.network import rpcapi as network_rpcapi
from services.scheduler import request as scheduler_request

Context = context.RequestContext
_PASSWORD_CHARS = string.ascii_letters + string.digits
GB = 1 << 30
# Properties of the base image a snapshot keeps, so it boots the same way.
_INHERITED = ("kernel_id", "ramdisk_id", "os_command_line", "architecture",
              "hw_architecture", "os_distro", "os_type")


# --- creating servers --------------------------------------------------------------------

@dataclasses.dataclass
class ServerCreate:
    """What POST /servers asks for, parsed from its body (formats already checked)."""

    name: str
    flavor_ref: str
    image_ref: str
    min_count: int = 1
    max_count: int = 1
    # "none", "auto", None (not asked) or [{uuid | port, fixed_ip, tag}]
    networks: Any = None
    key_name: str | None = None
    availability_zone: str | None = None
    hints: dict[str, Any] = dataclasses.field(default_factory=dict)
    security_groups: list[str] = dataclasses.field(default_factory=list)  # names
    access_ip_v4: str | None = None
    access_ip_v6: str | None = None
    user_data: str | None = None
    metadata: dict[str, str] = dataclasses.field(default_factory=dict)
    description: str | None = None
    config_drive: bool = False
    tags: list[str] = dataclasses.field(default_factory=list)
    admin_pass: str | None = None


@dataclasses.dataclass
class Created:
    instances: list[InstanceRecord]
    reservation_id: str
    admin_pass: str
    security_groups: list[str]


@dataclasses.dataclass
class Placement:
    availability_zone: str | None = None
    force_hosts: list[str] | None = None


def create(ctxt: Context, request: ServerCreate) -> Created:
    """Create the instance rows with their 'create' actions and cast ONE build_instances
    to the conductor."""
    flavor = compute_flavors.snapshot(_flavor(ctxt, request.flavor_ref))
    image = image_for(ctxt, request.image_ref)
    check_image_fits(image, flavor)
    networks = _networks(ctxt, request.networks, request.max_count)
    keypair = keypair_values(ctxt, request.key_name)
    placement = _placement(ctxt, request.availability_zone)
    group = _server_group(ctxt, request.hints)
    security_groups = _security_groups(ctxt, request.security_groups)
    project_id = ctxt.scoped_project_id
    quotas.check_metadata(ctxt, project_id, len(request.metadata))
    quota = quotas.InstanceQuota(ctxt, project_id, flavor)
    count = quota.allowed(request.min_count, request.max_count)
    if group is not None:
        quotas.check_group_members(ctxt, project_id, len(group.members), count)
    meta = image_meta(image)
    spec = scheduler_request.make_request_spec(
        flavor, meta, project_id, ctxt.scoped_user_id, placement.availability_zone,
        compute_server_groups.to_spec(group) if group else None, request.hints,
        placement.force_hosts, networks, count)
    # The groups the server's ports get (common.db.api.network_instances), and what the
    # server shows until it has ports.
    spec["security_groups"] = security_groups
    reservation_id = "r-" + secrets.token_hex(4)
    values = {"project_id": ctxt.project_id, "user_id": ctxt.user_id,
              "display_description": request.description, "image_ref": image.id,
              "image_meta": meta, "flavor": flavor,
              "availability_zone": placement.availability_zone,
              **keypair,
              "user_data": request.user_data,
              "config_drive": request.config_drive,
              "access_ip_v4": request.access_ip_v4, "access_ip_v6": request.access_ip_v6,
              "reservation_id": reservation_id, "requested_networks": networks}
    instances = compute_instances.create_all(
        ctxt, [{**values, **_names(request.name, count, index), "launch_index": index}
               for index in range(count)],
        request.metadata, spec, group.uuid if group else None, ctxt.request_id,
        check_usage=quota.recheck(count), tags=request.tags)
    conductor_rpcapi.ConductorAPI().build_instances(
        ctxt, [instance.uuid for instance in instances], spec)
    return Created(instances, reservation_id, request.admin_pass or new_password(),
                   security_groups)


def _flavor(ctxt: Context, ref: str) -> compute_flavors.FlavorRecord:
    try:
        flavor = compute_flavors.get(ctxt, ref)
    except exceptions.FlavorNotFound:
        raise exceptions.BadRequest(f"Flavor {ref} could not be found.") from None
    if flavor.disabled:
        raise exceptions.BadRequest("Flavor is disabled.")
    if not flavor.is_public and not ctxt.is_admin and \
            ctxt.project_id not in flavor.projects:
        raise exceptions.BadRequest(f"Flavor {ref} could not be found.")
    return flavor


def image_for(ctxt: Context, image_ref: str) -> images_db.ImageRecord:
    """An active image the project may boot (400 otherwise, as Nova answers)."""
    try:
        image = images_db.get(ctxt, image_ref)
    except exceptions.ImageNotFound:
        raise exceptions.BadRequest(f"Image {image_ref} could not be found.") from None
    if image.status != "active":
        raise exceptions.BadRequest(f"Image {image_ref} is not active.")
    return image


def check_image_fits(image: images_db.ImageRecord, flavor: dict) -> None:
    if image.min_ram and flavor["memory_mb"] < image.min_ram:
        raise exceptions.BadRequest("Flavor's memory is too small for requested image.")
    root_bytes = flavor["root_gb"] * GB
    if flavor["root_gb"] and (image.min_disk > flavor["root_gb"]
                              or (image.virtual_size or image.size or 0) > root_bytes):
        raise exceptions.BadRequest("Flavor's disk is too small for requested image.")


def image_meta(image: images_db.ImageRecord) -> dict[str, Any]:
    """The image as the request spec and the instance keep it."""
    return {"id": image.id, "name": image.name, "disk_format": image.disk_format,
            "container_format": image.container_format, "min_disk": image.min_disk,
            "min_ram": image.min_ram, "size": image.size,
            "properties": dict(image.properties or {})}


def new_password() -> str:
    """A random admin password, as Nova returns when none was given."""
    return "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(12))


def keypair_values(ctxt: Context, key_name: str | None) -> dict[str, str | None]:
    """The instance columns of the caller's keypair ``key_name`` (None: no key)."""
    if not key_name:
        return {"key_name": None, "key_data": None}
    try:
        keypair = compute_keypairs.get(ctxt, ctxt.scoped_user_id, key_name)
    except exceptions.KeypairNotFound:
        raise exceptions.BadRequest("Invalid key_name provided.") from None
    return {"key_name": keypair.name, "key_data": keypair.public_key}


def _networks(ctxt: Context, networks: Any, max_count: int) -> Any:
    """What the conductor gets as requested_networks, each network and port checked."""
    if networks is None or isinstance(networks, str):
        return networks
    for entry in networks:
        if "port" in entry:
            _check_port(ctxt, entry["port"], max_count)
    network_ids = {entry["uuid"] for entry in networks if "port" not in entry}
    missing = network_ids - compute_network.usable_networks(ctxt, network_ids,
                                                            ctxt.scoped_project_id)
    if missing:
        raise exceptions.BadRequest(f"Network {sorted(missing)[0]} could not be found.")
    return networks


def _check_port(ctxt: Context, port_id: str, max_count: int) -> None:
    if max_count > 1:
        raise exceptions.BadRequest("Multiple instances cannot be created with a port.")
    owner = compute_network.port_owner(ctxt, port_id)
    if owner is None or (owner[0] != ctxt.project_id and not ctxt.is_admin):
        raise exceptions.BadRequest(f"Port {port_id} could not be found.")
    if owner[1]:
        raise exceptions.Conflict(f"Port {port_id} is still in use.")


def _security_groups(ctxt: Context, names: list[str]) -> list[str]:
    names = names or ["default"]
    wanted = set(names) - {"default"}
    missing = wanted - compute_network.security_groups_found(ctxt, wanted,
                                                             ctxt.scoped_project_id)
    if missing:
        raise exceptions.BadRequest(f"Security group {sorted(missing)[0]} not found for "
                                    f"project {ctxt.project_id}.")
    return list(dict.fromkeys(names))


def _placement(ctxt: Context, requested: str | None) -> Placement:
    """Nova's availability_zone forms: "zone", "zone:host", "zone:host:node", ":host"
    (the host forms are for admins)."""
    if not requested:
        return Placement()
    zone, _sep, rest = requested.partition(":")
    host = rest.partition(":")[0]
    if host:
        policy.authorize(ctxt, "compute:servers:create:forced_host", {})
    if zone and zone not in compute_hosts.availability_zones(ctxt):
        raise exceptions.BadRequest("The requested availability zone is not available")
    return Placement(zone or None, [host] if host else None)


def _server_group(ctxt: Context,
                  hints: dict) -> compute_server_groups.ServerGroupRecord | None:
    group_uuid = hints.get("group")
    if not group_uuid:
        return None
    try:
        return compute_server_groups.get(ctxt, str(group_uuid))
    except exceptions.ServerGroupNotFound:
        raise exceptions.BadRequest(f"Invalid server group {group_uuid}") from None


def _names(name: str, count: int, index: int) -> dict[str, str]:
    """Nova numbers the servers of a multiple create: name-1, name-2, ..."""
    if count == 1:
        return {"display_name": name}
    numbered = f"{name}-{index + 1}"
    hostname = compute_instances.sanitize_hostname(numbered, "")
    return {"display_name": numbered, **({"hostname": hostname} if hostname else {})}


# --- acting on servers ---------------------------------------------------------------------

def _host(instance: InstanceRecord, action: str) -> str:
    if not instance.host:
        raise exceptions.InstanceInvalidState(action=action, instance_id=instance.uuid,
                                              attr="host", state="None")
    return instance.host


def _begin(ctxt: Context, instance: InstanceRecord, action: str,
           values: dict | None = None) -> InstanceRecord:
    return compute_instances.begin_action(ctxt, instance.uuid, action, ctxt.request_id,
                                          ctxt.user_id, ctxt.project_id, values)


def _record(ctxt: Context, instance: InstanceRecord, action: str) -> None:
    """An instance action record for an action that is done at once."""
    compute_actions.create(ctxt, instance.uuid, action)


def act_on_host(ctxt: Context, instance: InstanceRecord, action: str,
                rpc_method: str) -> None:
    """An action the instance's agent carries out, e.g. stop → stop_instance."""
    host = _host(instance, action)
    _begin(ctxt, instance, action)
    getattr(compute_rpcapi.ComputeAPI(), rpc_method)(ctxt, host, instance.uuid)


def reboot(ctxt: Context, instance: InstanceRecord, hard: bool) -> None:
    host = _host(instance, "reboot")
    _begin(ctxt, instance, "reboot_hard" if hard else "reboot")
    compute_rpcapi.ComputeAPI().reboot_instance(ctxt, host, instance.uuid,
                                                "HARD" if hard else "SOFT")


def delete(ctxt: Context, instance: InstanceRecord) -> None:
    _begin(ctxt, instance, "delete")
    conductor_rpcapi.ConductorAPI().delete_instance(ctxt, instance.uuid)


def resize(ctxt: Context, instance: InstanceRecord, flavor_ref: str) -> None:
    try:
        flavor = compute_flavors.snapshot(compute_flavors.get(ctxt, flavor_ref))
    except exceptions.FlavorNotFound:
        raise exceptions.BadRequest(f"Unable to find flavor {flavor_ref}.") from None
    if flavor["id"] == instance.flavor_id:
        raise exceptions.BadRequest("When resizing, instances must change flavor!")
    if instance.image_ref:
        image = images_db.get_many(ctxt, [instance.image_ref]).get(instance.image_ref)
        if image is not None:
            check_image_fits(image, flavor)
    quotas.check_resize(ctxt, instance.project_id, instance.flavor, flavor)
    _host(instance, "resize")
    _begin(ctxt, instance, "resize")
    conductor_rpcapi.ConductorAPI().resize_instance(ctxt, instance.uuid, flavor)


def _target_host(ctxt: Context, instance: InstanceRecord, host: str) -> None:
    """A migration's named destination: a compute host that is up, enabled and not
    the server's own (Nova's answers, 400 each)."""
    services = services_db.list_services(ctxt, binary="strato-compute", host=host)
    if not services:
        raise exceptions.ComputeHostNotFound(host=host)
    if host == instance.host:
        raise exceptions.UnableToMigrateToSelf(instance_id=instance.uuid, host=host)
    service = services[0]
    if not services_db.is_up(service) or service.forced_down:
        raise exceptions.ComputeServiceUnavailable(host=host)
    if service.disabled:
        raise exceptions.MigrationPreCheckError(
            reason=f"compute service of host {host} is disabled")


def migrate(ctxt: Context, instance: InstanceRecord, host: str | None) -> None:
    """Cold migration (the API lets admins): the server moves to ``host`` or one the scheduler
    picks, stopped there as it was here, and waits in VERIFY_RESIZE."""
    _host(instance, "migrate")
    if host:
        _target_host(ctxt, instance, host)
    _begin(ctxt, instance, "migrate")
    conductor_rpcapi.ConductorAPI().migrate_instance(ctxt, instance.uuid, host)


def live_migrate(ctxt: Context, instance: InstanceRecord, host: str | None,
                 block_migration: bool | str, force: bool = False) -> None:
    """Live migration (the API lets admins) to ``host`` or one the scheduler picks; ``force``
    skips the scheduler's filters for a named host (microversions 2.30 to 2.67).
    ``block_migration`` "auto": copy the disks, since hosts share no storage here."""
    _host(instance, "os-migrateLive")
    if host:
        _target_host(ctxt, instance, host)
    block = True if block_migration == "auto" else bool(block_migration)
    _begin(ctxt, instance, "live-migration")
    conductor_rpcapi.ConductorAPI().live_migrate_instance(ctxt, instance.uuid, host, block,
                                                          force and bool(host))


def evacuate(ctxt: Context, instance: InstanceRecord, host: str | None,
             force: bool = False) -> None:
    """Rebuild a server of a dead compute host (down or forced down) on ``host`` or one
    the scheduler picks, from its image, keeping its ports and IPs (the API lets
    admins); ``force`` skips the filters for a named host (2.29 to 2.67)."""
    source = _host(instance, "evacuate")
    services = services_db.list_services(ctxt, binary="strato-compute", host=source)
    if services and services_db.is_up(services[0]):
        raise exceptions.ComputeServiceInUse(host=source)
    if host:
        _target_host(ctxt, instance, host)
    _begin(ctxt, instance, "evacuate")
    conductor_rpcapi.ConductorAPI().evacuate_instance(ctxt, instance.uuid, host,
                                                      force and bool(host))


def _live_migration(ctxt: Context, instance: InstanceRecord,
                    migration_id: str) -> compute_migrations.MigrationRecord:
    migration = compute_migrations.get_for_instance(ctxt, instance.uuid, migration_id)
    if migration.migration_type != "live-migration":
        raise exceptions.MigrationNotFoundForInstance(migration_id=migration_id,
                                                      instance_id=instance.uuid)
    return migration


def abort_live_migration(ctxt: Context, instance: InstanceRecord, migration_id: str,
                         before_it_runs: bool = True) -> None:
    """DELETE /servers/{id}/migrations/{id}: while it runs, or (``before_it_runs``,
    Nova's 2.65) while it is queued or preparing; 400 otherwise, as Nova."""
    migration = _live_migration(ctxt, instance, migration_id)
    abortable = ("queued", "preparing", "running") if before_it_runs else ("running",)
    if migration.status not in abortable:
        raise exceptions.InvalidMigrationState(
            migration_id=migration_id, instance_uuid=instance.uuid, state=migration.status,
            method="abort live migration")
    compute_actions.create(ctxt, instance.uuid, "live_migration_abort")
    if before_it_runs and compute_migrations.update_if(
            ctxt, migration.uuid, ("queued", "preparing"), {"status": "cancelled"}):
        return  # the conductor rolls it back before it would start
    compute_rpcapi.ComputeAPI().live_migration_abort(
        ctxt, _host(instance, "abort"), instance.uuid, migration.uuid)


def force_complete_live_migration(ctxt: Context, instance: InstanceRecord,
                                  migration_id: str) -> None:
    migration = _live_migration(ctxt, instance, migration_id)
    if migration.status != "running":
        raise exceptions.InvalidMigrationState(
            migration_id=migration_id, instance_uuid=instance.uuid, state=migration.status,
            method="force complete")
    compute_actions.create(ctxt, instance.uuid, "live_migration_force_complete")
    compute_rpcapi.ComputeAPI().live_migration_force_complete(
        ctxt, _host(instance, "force_complete"), instance.uuid, migration.uuid)


def confirm_resize(ctxt: Context, instance: InstanceRecord) -> None:
    _begin(ctxt, instance, "confirmResize")
    conductor_rpcapi.ConductorAPI().confirm_resize(ctxt, instance.uuid)


def revert_resize(ctxt: Context, instance: InstanceRecord) -> None:
    _begin(ctxt, instance, "revertResize")
    conductor_rpcapi.ConductorAPI().revert_resize(ctxt, instance.uuid)


_UNCHANGED = object()


def rebuild(ctxt: Context, instance: InstanceRecord, image_ref: str,
            changes: dict[str, Any], metadata: dict[str, str] | None = None,
            key_name: Any = _UNCHANGED) -> InstanceRecord:
    """Rebuild from ``image_ref`` with the instance columns ``changes`` (name,
    description, access IPs, user data), a new key when ``key_name`` is given (None
    removes it) and metadata replaced when given; the rebuilding instance."""
    image = image_for(ctxt, image_ref)
    check_image_fits(image, instance.flavor)
    values = {"image_ref": image.id, "image_meta": image_meta(image), **changes}
    if key_name is not _UNCHANGED:
        values.update(keypair_values(ctxt, key_name))
    if metadata is not None:
        quotas.check_metadata(ctxt, instance.project_id, len(metadata))
    host = _host(instance, "rebuild")
    rebuilt = _begin(ctxt, instance, "rebuild", values)
    if metadata is not None:
        compute_instances.update_metadata(ctxt, instance.uuid, metadata, replace=True)
        rebuilt = compute_instances.get(ctxt, instance.uuid)
    compute_rpcapi.ComputeAPI().rebuild_instance(ctxt, host, instance.uuid)
    return rebuilt


def snapshot(ctxt: Context, instance: InstanceRecord, name: str,
             properties: dict[str, str]) -> images_db.ImageRecord:
    """Start a snapshot of the server as a new private image of its project."""
    policy.authorize(ctxt, "compute:servers:create_image",
                     {"project_id": instance.project_id})
    host = _host(instance, "createImage")
    base = instance.image_meta or {}
    inherited = {key: str(val) for key, val in (base.get("properties") or {}).items()
                 if key in _INHERITED or key.startswith("hw_")}
    image = images_db.create(
        ctxt,
        {"name": name, "owner": instance.project_id, "visibility": "private",
         "min_ram": base.get("min_ram") or 0,
         "min_disk": max(base.get("min_disk") or 0, instance.flavor.get("root_gb", 0))},
        {**inherited, **properties, "instance_uuid": instance.uuid,
         "base_image_ref": instance.image_ref or "", "user_id": ctxt.user_id})
    try:
        _begin(ctxt, instance, "createImage")
    except exceptions.StratoError:
        images_db.delete(ctxt, image.id)
        raise
    compute_rpcapi.ComputeAPI().snapshot_instance(ctxt, host, instance.uuid, image.id)
    return image


def backup(ctxt: Context, instance: InstanceRecord, name: str, backup_type: str,
           rotation: int, metadata: dict[str, str]) -> images_db.ImageRecord:
    """A snapshot kept as one of the server's ``rotation`` newest backups of its
    ``backup_type``; older ones are deleted (all of them with rotation 0)."""
    image = snapshot(ctxt, instance, name, {**metadata, "image_type": "backup",
                                            "backup_type": backup_type})
    every_project = context.get_admin_context(request_id=ctxt.request_id)
    backups = images_db.list_images(every_project, {"properties": {
        "instance_uuid": instance.uuid, "image_type": "backup", "backup_type": backup_type}})
    for old in [b for b in backups if b.id != image.id][max(rotation - 1, 0):] + (
            [image] if rotation == 0 else []):
        images_db.delete(ctxt, old.id)
        image_store.delete(old.id)
    return image


def console_output(ctxt: Context, instance: InstanceRecord, length: int | None) -> str:
    policy.authorize(ctxt, "compute:servers:console_output",
                     {"project_id": instance.project_id})
    host = _host(instance, "get_console_output")
    return compute_rpcapi.ComputeAPI().get_console_output(ctxt, host, instance.uuid, length)


def lock(ctxt: Context, instance: InstanceRecord) -> None:
    compute_instances.update(ctxt, instance.uuid, {
        "locked": True, "locked_by": "admin" if ctxt.is_admin else "owner"})
    _record(ctxt, instance, "lock")


def unlock(ctxt: Context, instance: InstanceRecord) -> None:
    if instance.locked and instance.locked_by == "admin":
        policy.authorize(ctxt, "compute:servers:unlock_override", {})
    compute_instances.update(ctxt, instance.uuid, {"locked": False, "locked_by": None})
    _record(ctxt, instance, "unlock")


def reset_state(ctxt: Context, instance: InstanceRecord, active: bool) -> None:
    policy.authorize(ctxt, "compute:servers:admin_actions", {})
    state = VMState.ACTIVE if active else VMState.ERROR
    compute_instances.update(ctxt, instance.uuid, {"vm_state": state, "task_state": None})
    _record(ctxt, instance, "resetState")


def set_security_group(ctxt: Context, instance: InstanceRecord, name: str,
                       adding: bool) -> None:
    """addSecurityGroup / removeSecurityGroup: the server's groups, on its ports too."""
    uuid = instance.uuid
    current = compute_network.security_groups_of(ctxt, [uuid])[uuid]
    if adding:
        known = name == "default" or compute_network.security_groups_found(
            ctxt, {name}, instance.project_id)
        if not known:
            raise exceptions.NotFound(f"Security group {name} not found for project "
                                      f"{instance.project_id}.")
        if name in current:
            raise exceptions.BadRequest(f"Security group {name} is already associated "
                                        f"with the instance {uuid}")
        wanted = [*current, name]
    else:
        if name not in current:
            raise exceptions.NotFound(f"Security group {name} not associated with "
                                      f"the instance {uuid}")
        wanted = [group for group in current if group != name]
    changed = compute_network.set_security_groups(ctxt, uuid, instance.project_id, wanted)
    if changed:
        network_rpcapi.NetworkAgentAPI().sync(ctxt, *[("port", port) for port in changed])

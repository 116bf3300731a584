"""POST /servers: validate the request against what exists (flavor, image, keypair,
networks, ports, security groups, availability zone, server group), check quotas,
create the instance rows with their 'create' actions, and cast ONE build_instances
to the conductor. Every refusal is a 4xx before anything is written.
"""
import base64
import binascii
import dataclasses
import secrets
import string
from typing import Any

import falcon

from common import exceptions, policy
from common.db import models
from common.db.api import (
    compute_flavors,
    compute_hosts,
    compute_instances,
    compute_keypairs,
    compute_network,
    compute_server_groups,
)
from common.db.api import images as images_db
from services.api import handlers
from services.api.compute import params, quotas
from services.conductor import rpcapi as conductor_rpcapi
from services.scheduler import request as scheduler_request

_PASSWORD_CHARS = string.ascii_letters + string.digits
GB = 1 << 30


@dataclasses.dataclass
class Placement:
    availability_zone: str | None = None
    force_hosts: list[str] | None = None


def _flavor(ctx: Any, flavor_ref: Any) -> models.Flavor:
    ref = str(flavor_ref).rstrip("/").rsplit("/", 1)[-1]
    try:
        flavor = compute_flavors.get(ref)
    except exceptions.FlavorNotFound:
        raise exceptions.BadRequest(f"Flavor {ref} could not be found.") from None
    if flavor.disabled:
        raise exceptions.BadRequest("Flavor is disabled.")
    if not flavor.is_public and not ctx.is_admin and \
            ctx.project_id not in {p.project_id for p in flavor.projects}:
        raise exceptions.BadRequest(f"Flavor {ref} could not be found.")
    return flavor


def _image_ref(server: dict) -> str:
    """The image to boot: imageRef, or the image → local boot device the CLI sends."""
    ref = (server.get("imageRef") or "").rstrip("/").rsplit("/", 1)[-1]
    mappings = server.get("block_device_mapping_v2") or []
    for mapping in mappings:
        source, destination = mapping.get("source_type"), mapping.get("destination_type")
        if source != "image" or destination not in (None, "local"):
            raise exceptions.BadRequest("Block Device Mapping is Invalid: only an image "
                                        "booted to a local disk is supported.")
        if str(mapping.get("boot_index")) == "0" and not ref:
            ref = mapping.get("uuid") or ""
    if server.get("block_device_mapping"):
        raise exceptions.BadRequest("Block Device Mapping is Invalid: volumes are not "
                                    "supported.")
    if not ref:
        raise exceptions.BadRequest("Missing imageRef attribute")
    return ref


def image_for(ctx: Any, image_ref: str) -> models.Image:
    """An active image the project may boot (400 otherwise, as Nova answers)."""
    if not params.is_uuid(image_ref):
        raise exceptions.BadRequest("Invalid imageRef provided.")
    try:
        image = images_db.get(image_ref, ctx.project_id, ctx.is_admin)
    except exceptions.ImageNotFound:
        raise exceptions.BadRequest(f"Image {image_ref} could not be found.") from None
    if image.status != "active":
        raise exceptions.BadRequest(f"Image {image_ref} is not active.")
    return image


def check_image_fits(image: models.Image, flavor: dict) -> None:
    if image.min_ram and flavor["memory_mb"] < image.min_ram:
        raise exceptions.BadRequest("Flavor's memory is too small for requested image.")
    root_bytes = flavor["root_gb"] * GB
    if flavor["root_gb"] and (image.min_disk > flavor["root_gb"]
                              or (image.virtual_size or image.size or 0) > root_bytes):
        raise exceptions.BadRequest("Flavor's disk is too small for requested image.")


def image_meta(image: models.Image) -> dict[str, Any]:
    """The image as the request spec and the instance keep it."""
    return {"id": image.id, "name": image.name, "disk_format": image.disk_format,
            "container_format": image.container_format, "min_disk": image.min_disk,
            "min_ram": image.min_ram, "size": image.size,
            "properties": dict(image.properties or {})}


def new_password() -> str:
    """A random admin password, as Nova returns when none was given."""
    return "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(12))


def keypair_values(ctx: Any, key_name: str | None) -> dict[str, str | None]:
    """The instance columns of the caller's keypair ``key_name`` (None: no key)."""
    if not key_name:
        return {"key_name": None, "key_data": None}
    try:
        keypair = compute_keypairs.get(ctx.user_id, key_name)
    except exceptions.KeypairNotFound:
        raise exceptions.BadRequest("Invalid key_name provided.") from None
    return {"key_name": keypair.name, "key_data": keypair.public_key}


def _counts(server: dict) -> tuple[int, int]:
    min_count = params.integer("min_count", server.get("min_count", 1), minimum=1)
    max_count = params.integer("max_count", server.get("max_count", min_count), minimum=1)
    if min_count > max_count:
        raise exceptions.BadRequest("min_count must be <= max_count")
    return min_count, max_count


def _networks(ctx: Any, networks: Any, max_count: int) -> Any:
    """What the conductor gets as requested_networks: "none", "auto", None (not asked)
    or a checked list of {uuid, port, fixed_ip}."""
    if networks is None or isinstance(networks, str):
        return networks
    requested, network_ids = [], set()
    for item in networks:
        entry = {key: item[key] for key in ("uuid", "port", "fixed_ip", "tag")
                 if item.get(key)}
        if "port" in entry:
            _check_port(ctx, entry["port"], max_count)
        elif "uuid" in entry:
            if not params.is_uuid(entry["uuid"]):
                raise exceptions.BadRequest(f"Bad networks format: network uuid is not "
                                            f"in proper format ({entry['uuid']})")
            network_ids.add(entry["uuid"])
        else:
            raise exceptions.BadRequest("Bad network format: missing 'uuid'")
        if "fixed_ip" in entry:
            try:
                params.ip_address("fixed_ip", entry["fixed_ip"], 4)
            except exceptions.BadRequest:
                params.ip_address("fixed_ip", entry["fixed_ip"], 6)
        requested.append(entry)
    missing = network_ids - compute_network.usable_networks(network_ids, ctx.project_id)
    if missing:
        raise exceptions.BadRequest(f"Network {sorted(missing)[0]} could not be found.")
    return requested


def _check_port(ctx: Any, port_id: str, max_count: int) -> None:
    if max_count > 1:
        raise exceptions.BadRequest("Multiple instances cannot be created with a port.")
    owner = compute_network.port_owner(port_id) if params.is_uuid(port_id) else None
    if owner is None or (owner[0] != ctx.project_id and not ctx.is_admin):
        raise exceptions.BadRequest(f"Port {port_id} could not be found.")
    if owner[1]:
        raise exceptions.Conflict(f"Port {port_id} is still in use.")


def _security_groups(ctx: Any, groups: list[dict] | None) -> list[str]:
    names = [group["name"] for group in groups or [] if group.get("name")] or ["default"]
    wanted = set(names) - {"default"}
    missing = wanted - compute_network.security_groups_found(wanted, ctx.project_id)
    if missing:
        raise exceptions.BadRequest(f"Security group {sorted(missing)[0]} not found for "
                                    f"project {ctx.project_id}.")
    return list(dict.fromkeys(names))


def _placement(ctx: Any, requested: str | None) -> Placement:
    """Nova's availability_zone forms: "zone", "zone:host", "zone:host:node", ":host"
    (the host forms are for admins)."""
    if not requested:
        return Placement()
    zone, _sep, rest = requested.partition(":")
    host = rest.partition(":")[0]
    if host:
        policy.authorize(ctx, "compute:servers:create:forced_host", {})
    if zone and zone not in compute_hosts.availability_zones():
        raise exceptions.BadRequest("The requested availability zone is not available")
    return Placement(zone or None, [host] if host else None)


def _server_group(ctx: Any, hints: dict) -> models.ServerGroup | None:
    group_uuid = hints.get("group")
    if not group_uuid:
        return None
    try:
        return compute_server_groups.get(str(group_uuid),
                                         None if ctx.is_admin else ctx.project_id)
    except exceptions.ServerGroupNotFound:
        raise exceptions.BadRequest(f"Invalid server group {group_uuid}") from None


def check_base64(name: str, value: str | None) -> None:
    if value is None:
        return
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise exceptions.BadRequest(f"{name} needs to be valid base 64.") from None


def _access_ips(server: dict) -> tuple[str | None, str | None]:
    v4, v6 = server.get("accessIPv4"), server.get("accessIPv6")
    return (params.ip_address("accessIPv4", v4, 4) if v4 else None,
            params.ip_address("accessIPv6", v6, 6) if v6 else None)


def _config_drive(value: Any) -> bool:
    return False if value in (None, "") else params.boolean("config_drive", value)


def _names(name: str, count: int, index: int) -> dict[str, str]:
    """Nova numbers the servers of a multiple create: name-1, name-2, ..."""
    if count == 1:
        return {"display_name": name}
    numbered = f"{name}-{index + 1}"
    hostname = compute_instances.sanitize_hostname(numbered, "")
    return {"display_name": numbered, **({"hostname": hostname} if hostname else {})}


@dataclasses.dataclass
class Created:
    instances: list[models.Instance]
    reservation_id: str
    admin_pass: str
    security_groups: list[str]


def create(req: falcon.Request, document: dict) -> Created:
    ctx = handlers.ctx(req)
    policy.authorize(ctx, "compute:servers:create")
    server = document["server"]
    hints = dict(document.get("os:scheduler_hints")
                 or document.get("OS-SCH-HNT:scheduler_hints") or {})
    flavor = compute_flavors.snapshot(_flavor(ctx, server["flavorRef"]))
    image = image_for(ctx, _image_ref(server))
    check_image_fits(image, flavor)
    min_count, max_count = _counts(server)
    networks = _networks(ctx, server.get("networks"), max_count)
    keypair = keypair_values(ctx, server.get("key_name"))
    placement = _placement(ctx, server.get("availability_zone"))
    group = _server_group(ctx, hints)
    security_groups = _security_groups(ctx, server.get("security_groups"))
    access_v4, access_v6 = _access_ips(server)
    check_base64("User data", server.get("user_data"))
    for item in server.get("personality") or []:
        check_base64("Personality content", item.get("contents"))
    metadata = server.get("metadata") or {}
    project_id = ctx.scoped_project_id
    quotas.check_metadata(project_id, len(metadata))
    quota = quotas.InstanceQuota(project_id, flavor)
    count = quota.allowed(min_count, max_count)
    if group is not None:
        quotas.check_group_members(project_id, len(group.members), count)
    meta = image_meta(image)
    spec = scheduler_request.make_request_spec(
        flavor, meta, project_id, ctx.scoped_user_id, placement.availability_zone,
        compute_server_groups.to_spec(group) if group else None, hints,
        placement.force_hosts, networks, count)
    # The groups the server's ports get (common.db.api.network_instances), and what the
    # server shows until it has ports.
    spec["security_groups"] = security_groups
    reservation_id = "r-" + secrets.token_hex(4)
    values = {"project_id": ctx.project_id, "user_id": ctx.user_id,
              "display_description": server.get("description"), "image_ref": image.id,
              "image_meta": meta, "flavor": flavor,
              "availability_zone": placement.availability_zone,
              **keypair,
              "user_data": server.get("user_data"),
              "config_drive": _config_drive(server.get("config_drive")),
              "access_ip_v4": access_v4, "access_ip_v6": access_v6,
              "reservation_id": reservation_id, "requested_networks": networks}
    instances = compute_instances.create_all(
        [{**values, **_names(server["name"], count, index), "launch_index": index}
         for index in range(count)],
        metadata, spec, group.uuid if group else None, ctx.request_id,
        check_usage=quota.recheck(count),
        tags=server.get("tags") or ())
    conductor_rpcapi.ConductorAPI().build_instances(
        ctx, [instance.uuid for instance in instances], spec)
    return Created(instances, reservation_id, server.get("adminPass") or new_password(),
                   security_groups)


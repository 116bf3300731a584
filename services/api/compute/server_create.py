"""The body of POST /servers (and of a rebuild) parsed into the compute API's arguments:
formats are checked here (a 400 before anything is looked up), what exists is checked
by services.compute.api."""
import base64
import binascii
from typing import Any

from common import exceptions
from services.api.compute import params
from services.compute import api as compute_api


def last_segment(ref: Any) -> str:
    """An id from a reference that may be a URL (flavorRef, imageRef)."""
    return str(ref).rstrip("/").rsplit("/", 1)[-1]


def image_id(ref: Any) -> str:
    image_ref = last_segment(ref)
    if not params.is_uuid(image_ref):
        raise exceptions.BadRequest("Invalid imageRef provided.")
    return image_ref


def _image_ref(server: dict) -> str:
    """The image to boot: imageRef, or the image → local boot device the CLI sends."""
    ref = last_segment(server.get("imageRef") or "")
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
    return image_id(ref)


def _counts(server: dict) -> tuple[int, int]:
    min_count = params.integer("min_count", server.get("min_count", 1), minimum=1)
    max_count = params.integer("max_count", server.get("max_count", min_count), minimum=1)
    if min_count > max_count:
        raise exceptions.BadRequest("min_count must be <= max_count")
    return min_count, max_count


def _networks(networks: Any) -> Any:
    """"none", "auto", None (not asked) or a list of {uuid | port, fixed_ip, tag}."""
    if networks is None or isinstance(networks, str):
        return networks
    requested = []
    for item in networks:
        entry = {key: item[key] for key in ("uuid", "port", "fixed_ip", "tag")
                 if item.get(key)}
        if "uuid" in entry and "port" not in entry and not params.is_uuid(entry["uuid"]):
            raise exceptions.BadRequest(f"Bad networks format: network uuid is not "
                                        f"in proper format ({entry['uuid']})")
        if "uuid" not in entry and "port" not in entry:
            raise exceptions.BadRequest("Bad network format: missing 'uuid'")
        if "fixed_ip" in entry:
            try:
                params.ip_address("fixed_ip", entry["fixed_ip"], 4)
            except exceptions.BadRequest:
                params.ip_address("fixed_ip", entry["fixed_ip"], 6)
        requested.append(entry)
    return requested


def check_base64(name: str, value: str | None) -> None:
    if value is None:
        return
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise exceptions.BadRequest(f"{name} needs to be valid base 64.") from None


def access_ip(field: str, value: str | None, ip_version: int) -> str | None:
    return params.ip_address(field, value, ip_version) if value else None


def server_changes(value: dict) -> dict[str, Any]:
    """The instance columns a server update or rebuild body sets: name, description,
    access IPs (an empty one clears it)."""
    changes: dict[str, Any] = {}
    if "name" in value:
        changes["display_name"] = value["name"]
    if "description" in value:
        changes["display_description"] = value["description"]
    for field, column, ip_version in (("accessIPv4", "access_ip_v4", 4),
                                      ("accessIPv6", "access_ip_v6", 6)):
        if field in value:
            changes[column] = access_ip(field, value[field], ip_version)
    return changes


def _config_drive(value: Any) -> bool:
    return False if value in (None, "") else params.boolean("config_drive", value)


def check_no_certificates(server: dict) -> None:
    """Trusted image certificates (2.63) need image signature verification, which this
    cloud does not do: refused, as Nova refuses them with verification off."""
    if server.get("trusted_image_certificates"):
        raise exceptions.BadRequest("Image signature certificate validation support is "
                                    "not yet enabled.")


def parse(document: dict) -> compute_api.ServerCreate:
    """The create request of a POST /servers body (validated against its schema)."""
    server = document["server"]
    hints = dict(document.get("os:scheduler_hints")
                 or document.get("OS-SCH-HNT:scheduler_hints") or {})
    image_ref = _image_ref(server)
    min_count, max_count = _counts(server)
    networks = _networks(server.get("networks"))
    check_base64("User data", server.get("user_data"))
    check_no_certificates(server)
    for item in server.get("personality") or []:
        check_base64("Personality content", item.get("contents"))
    return compute_api.ServerCreate(
        name=server["name"], flavor_ref=last_segment(server["flavorRef"]),
        image_ref=image_ref, min_count=min_count, max_count=max_count, networks=networks,
        key_name=server.get("key_name"), availability_zone=server.get("availability_zone"),
        hints=hints,
        security_groups=[group["name"] for group in server.get("security_groups") or []
                         if group.get("name")],
        access_ip_v4=access_ip("accessIPv4", server.get("accessIPv4"), 4),
        access_ip_v6=access_ip("accessIPv6", server.get("accessIPv6"), 6),
        user_data=server.get("user_data"), metadata=server.get("metadata") or {},
        description=server.get("description"),
        config_drive=_config_drive(server.get("config_drive")),
        tags=server.get("tags") or [], admin_pass=server.get("adminPass"))

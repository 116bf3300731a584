"""JSON schemas of server request bodies, per microversion as Nova's: unknown keys are
400 (additionalProperties false), so a field only exists from the version that added
it (description 2.19, tags 2.52, networks "auto"/"none" 2.37, personality gone 2.57,
key_name and user_data on rebuild 2.54 and 2.57)."""
import copy
from typing import Any

from services.api.compute.microversion import Version

NAME = {"type": "string", "minLength": 1, "maxLength": 255,
        "pattern": r"^(?!\s)[^\x00-\x1f\x7f]*(?<!\s)$"}
METADATA = {"type": "object", "additionalProperties": False,
            "patternProperties": {r"^[a-zA-Z0-9-_:. ]{1,255}$": {
                "type": "string", "maxLength": 255}}}
DESCRIPTION = {"type": ["string", "null"], "maxLength": 255,
               "pattern": r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"}
TAG = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": r"^[^,/]*$"}
TAGS = {"type": "array", "items": TAG, "maxItems": 50}
DISK_CONFIG = {"enum": ["AUTO", "MANUAL"]}
USER_DATA = {"type": "string", "maxLength": 65535}
_STRING = {"type": "string"}
_PERSONALITY = {"type": "array", "items": {
    "type": "object", "additionalProperties": False,
    "properties": {"path": {"type": "string"}, "contents": {"type": "string"}}}}
_BOOL_LIKE = {"type": ["boolean", "string", "null"]}
_COUNT = {"type": ["integer", "string"]}

_NETWORK_ITEM: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"fixed_ip": _STRING, "port": {"type": ["string", "null"]},
                   "uuid": _STRING}}
_BDM_V2_ITEM: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "source_type": {"enum": ["volume", "image", "snapshot", "blank"]},
        "destination_type": {"enum": ["local", "volume"]},
        "uuid": {"type": "string", "minLength": 1, "maxLength": 255},
        "boot_index": {"type": ["integer", "string", "null"]},
        "delete_on_termination": _BOOL_LIKE, "volume_size": _COUNT,
        "device_name": {"type": ["string", "null"]}, "disk_bus": _STRING,
        "device_type": _STRING, "guest_format": _STRING, "no_device": {},
        "volume_id": _STRING, "snapshot_id": _STRING, "image_id": _STRING}}
_HINTS = {"type": "object", "additionalProperties": True,
          "properties": {"group": _STRING, "same_host": {"type": ["string", "array"]},
                         "different_host": {"type": ["string", "array"]}}}

_CREATE_V21: dict[str, Any] = {
    "type": "object", "required": ["name", "flavorRef"], "additionalProperties": False,
    "properties": {
        "name": NAME, "imageRef": {"type": "string", "maxLength": 255},
        "flavorRef": {"type": ["string", "integer"], "minLength": 1},
        "adminPass": _STRING, "metadata": METADATA,
        "networks": {"type": "array", "items": _NETWORK_ITEM},
        "OS-DCF:diskConfig": DISK_CONFIG, "accessIPv4": _STRING, "accessIPv6": _STRING,
        "personality": _PERSONALITY,
        "availability_zone": {"type": "string", "minLength": 1, "maxLength": 255},
        "block_device_mapping": {"type": "array"},
        "block_device_mapping_v2": {"type": "array", "items": _BDM_V2_ITEM},
        "config_drive": _BOOL_LIKE,
        "key_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "min_count": _COUNT, "max_count": _COUNT,
        "return_reservation_id": _BOOL_LIKE,
        "security_groups": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 255}}}},
        "user_data": USER_DATA}}


# 2.63: accepted, but any certificate is refused (server_create.check_no_certificates)
TRUSTED_CERTS = {"type": ["array", "null"], "minItems": 1, "maxItems": 50,
                 "uniqueItems": True, "items": {"type": "string", "minLength": 1}}


def _wrap(server: dict[str, Any], hints: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "required": ["server"],
                              "additionalProperties": False,
                              "properties": {"server": server}}
    if hints:
        schema["properties"].update({"os:scheduler_hints": _HINTS,
                                     "OS-SCH-HNT:scheduler_hints": _HINTS})
    return schema


def server_create(version: Version) -> dict[str, Any]:
    server = copy.deepcopy(_CREATE_V21)
    props = server["properties"]
    tagged = (2, 32) <= version <= (2, 36) or version >= (2, 42)
    if version >= (2, 19):
        props["description"] = DESCRIPTION
    if tagged:
        props["networks"]["items"]["properties"]["tag"] = TAG
    if version == (2, 32) or version >= (2, 42):
        props["block_device_mapping_v2"]["items"]["properties"]["tag"] = TAG
    if version >= (2, 37):
        network_item = props["networks"]["items"]
        network_item["properties"]["uuid"] = {"type": "string", "format": "uuid"}
        props["networks"] = {"oneOf": [{"type": "array", "items": network_item},
                                       {"enum": ["none", "auto"]}]}
        server["required"].append("networks")
    if version >= (2, 52):
        props["tags"] = TAGS
    if version >= (2, 57):
        del props["personality"]
    if version >= (2, 63):
        props["trusted_image_certificates"] = TRUSTED_CERTS
    if version >= (2, 67):
        props["block_device_mapping_v2"]["items"]["properties"]["volume_type"] = {
            "type": ["string", "null"], "minLength": 0, "maxLength": 255}
    return _wrap(server, hints=True)


def server_update(version: Version) -> dict[str, Any]:
    props: dict[str, Any] = {"name": NAME, "accessIPv4": _STRING, "accessIPv6": _STRING,
                             "OS-DCF:diskConfig": DISK_CONFIG}
    if version >= (2, 19):
        props["description"] = DESCRIPTION
    return _wrap({"type": "object", "additionalProperties": False, "properties": props})


def rebuild(version: Version) -> dict[str, Any]:
    props: dict[str, Any] = {
        "imageRef": {"type": "string", "minLength": 1, "maxLength": 255}, "name": NAME,
        "adminPass": _STRING, "metadata": METADATA, "preserve_ephemeral": {"type": "boolean"},
        "OS-DCF:diskConfig": DISK_CONFIG, "accessIPv4": _STRING, "accessIPv6": _STRING,
        "personality": _PERSONALITY}
    if version >= (2, 19):
        props["description"] = DESCRIPTION
    if version >= (2, 54):
        props["key_name"] = {"type": ["string", "null"], "minLength": 1, "maxLength": 255}
    if version >= (2, 57):
        del props["personality"]
        props["user_data"] = {"type": ["string", "null"], "maxLength": 65535}
    if version >= (2, 63):
        props["trusted_image_certificates"] = TRUSTED_CERTS
    return {"type": "object", "required": ["imageRef"], "additionalProperties": False,
            "properties": props}

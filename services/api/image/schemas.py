"""What an image document may hold (create bodies and the result of a JSON patch are
checked against IMAGE) and the /v2/schemas documents clients read (image, images,
member, members)."""
from typing import Any

import falcon

from common.db.api import images as images_db

DISK_FORMATS = ("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop")
CONTAINER_FORMATS = ("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed")
# Set by the service, never by a client (403 when a body names them).
READ_ONLY = ("status", "checksum", "size", "virtual_size", "created_at", "updated_at",
             "file", "self", "schema", "os_hash_algo", "os_hash_value", "direct_url",
             "locations", "stores")
# Columns a client sets; everything else it sends is an extra property.
BASE = ("id", "name", "visibility", "protected", "os_hidden", "owner", "disk_format",
        "container_format", "min_ram", "min_disk", "tags")
UUID_PATTERN = "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"

IMAGE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": UUID_PATTERN},
        "name": {"type": ["null", "string"], "maxLength": 255},
        "visibility": {"enum": list(images_db.VISIBILITIES)},
        "protected": {"type": "boolean"},
        "os_hidden": {"type": "boolean"},
        "owner": {"type": ["null", "string"], "maxLength": 255},
        "disk_format": {"enum": [None, *DISK_FORMATS]},
        "container_format": {"enum": [None, *CONTAINER_FORMATS]},
        "min_ram": {"type": "integer", "minimum": 0},
        "min_disk": {"type": "integer", "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
    },
    "propertyNames": {"maxLength": 255},
    "additionalProperties": {"type": "string", "maxLength": 65535},
}

_READ_ONLY_SCHEMAS = {
    "status": {"type": "string", "readOnly": True,
               "enum": ["queued", "saving", "active", "killed", "deleted", "uploading",
                        "importing", "pending_delete", "deactivated"]},
    "checksum": {"type": ["null", "string"], "readOnly": True, "maxLength": 32},
    "os_hash_algo": {"type": ["null", "string"], "readOnly": True, "maxLength": 64},
    "os_hash_value": {"type": ["null", "string"], "readOnly": True, "maxLength": 128},
    "size": {"type": ["null", "integer"], "readOnly": True},
    "virtual_size": {"type": ["null", "integer"], "readOnly": True},
    "created_at": {"type": "string", "readOnly": True},
    "updated_at": {"type": "string", "readOnly": True},
    "self": {"type": "string", "readOnly": True},
    "file": {"type": "string", "readOnly": True},
    "schema": {"type": "string", "readOnly": True},
}


def image_schema() -> dict[str, Any]:
    return {"name": "image",
            "properties": {**IMAGE["properties"], **_READ_ONLY_SCHEMAS},
            "additionalProperties": IMAGE["additionalProperties"],
            "links": [{"rel": "self", "href": "{self}"},
                      {"rel": "enclosure", "href": "{file}"},
                      {"rel": "describedby", "href": "{schema}"}]}


class ImageSchema:
    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = image_schema()


class ImagesSchema:
    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"name": "images",
                      "properties": {"images": {"type": "array", "items": image_schema()},
                                     "schema": {"type": "string"},
                                     "first": {"type": "string"},
                                     "next": {"type": "string"}},
                      "links": [{"rel": "first", "href": "{first}"},
                                {"rel": "next", "href": "{next}"},
                                {"rel": "describedby", "href": "{schema}"}]}


MEMBER = {"name": "member",
          "properties": {
              "image_id": {"type": "string", "pattern": UUID_PATTERN},
              "member_id": {"type": "string"},
              "status": {"type": "string", "enum": ["pending", "accepted", "rejected"]},
              "created_at": {"type": "string"}, "updated_at": {"type": "string"},
              "schema": {"type": "string", "readOnly": True}}}


class MemberSchema:
    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = MEMBER


class MembersSchema:
    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"name": "members",
                      "properties": {"members": {"type": "array", "items": MEMBER},
                                     "schema": {"type": "string"}},
                      "links": [{"rel": "describedby", "href": "{schema}"}]}

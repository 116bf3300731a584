"""Bodies of the image API: images flat and unwrapped, as Glance v2 shows them."""
import datetime
from typing import Any

from common.db.api import images as images_db


def timestamp(value: datetime.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def image(row: images_db.ImageRecord) -> dict[str, Any]:
    """Extra properties first, so a stored property can never mask a real field."""
    return {**(row.properties or {}),
            "id": row.id, "name": row.name, "status": row.status,
            "visibility": row.visibility, "protected": row.protected,
            "os_hidden": row.os_hidden, "owner": row.owner,
            "disk_format": row.disk_format, "container_format": row.container_format,
            "size": row.size, "virtual_size": row.virtual_size,
            "checksum": row.checksum, "os_hash_algo": row.os_hash_algo,
            "os_hash_value": row.os_hash_value, "min_disk": row.min_disk,
            "min_ram": row.min_ram, "tags": list(row.tags),
            "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at or row.created_at),
            "self": f"/v2/images/{row.id}", "file": f"/v2/images/{row.id}/file",
            "schema": "/v2/schemas/image"}


def image_list(rows: list[images_db.ImageRecord], first: str,
               next_url: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"images": [image(row) for row in rows], "first": first,
                            "schema": "/v2/schemas/images"}
    if next_url:
        body["next"] = next_url
    return body

"""The image file store: one file per image id in ``[compute] image_store_path``, the
directory the compute agent reads images from (services.compute.images).

Uploads stream to a temporary file in chunks, hashing as they go, and are renamed into
place only when complete, so a reader never sees half an image.
"""
import contextlib
import dataclasses
import hashlib
import os
import uuid
from typing import BinaryIO

from common import exceptions
from common.config import CONF

CHUNK = 1 << 16
_QCOW2_MAGIC = b"QFI\xfb"


@dataclasses.dataclass(frozen=True)
class StoredFile:
    size: int
    checksum: str  # md5, Glance's legacy checksum
    os_hash_algo: str
    os_hash_value: str
    virtual_size: int | None


def path(image_id: str) -> str:
    return os.path.join(CONF.compute.image_store_path, image_id)


def _virtual_size(head: bytes, size: int, disk_format: str | None) -> int | None:
    """qcow2 says its virtual size in its header; raw and iso are their own size."""
    if head[:4] == _QCOW2_MAGIC and len(head) >= 32:
        return int.from_bytes(head[24:32], "big")
    if disk_format in ("raw", "iso"):
        return size
    return None


def write(image_id: str, stream: BinaryIO, disk_format: str | None) -> StoredFile:
    """Store the bytes of ``stream`` as image ``image_id``; PayloadTooLarge beyond
    ``[image] image_size_cap`` (nothing is kept then, nor on any other failure)."""
    os.makedirs(CONF.compute.image_store_path, exist_ok=True)
    partial = f"{path(image_id)}.{uuid.uuid4().hex}.part"
    md5, sha512 = hashlib.md5(usedforsecurity=False), hashlib.sha512()
    size, head, cap = 0, b"", CONF.image.image_size_cap
    try:
        with open(partial, "wb") as f:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                size += len(chunk)
                if size > cap:
                    raise exceptions.PayloadTooLarge(
                        f"Image exceeds the storage quota: larger than {cap} bytes.")
                if len(head) < 32:
                    head += chunk[:32]
                md5.update(chunk)
                sha512.update(chunk)
                f.write(chunk)
        os.replace(partial, path(image_id))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return StoredFile(size, md5.hexdigest(), "sha512", sha512.hexdigest(),
                      _virtual_size(head, size, disk_format))


def open_file(image_id: str) -> BinaryIO | None:
    """The image's file open for reading, or None when it has no data."""
    try:
        return open(path(image_id), "rb")
    except FileNotFoundError:
        return None


def delete(image_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path(image_id))

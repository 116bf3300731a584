"""Base images cached per host under <instances_path>/_base, one file per image id.

Guests never write to a base: their disks are qcow2 overlays on it. An image is fetched
once (concurrent spawns of one image wait for the first fetch) and checked: its real
format must be what it claims, and a qcow2 must not point at a backing file of its own
(it could make the guest read any file of the host).
"""
import os
import threading

from common import exceptions
from services.compute.images import ImageFetcher
from services.compute.virt.libvirt import disk

# Glance disk formats that hold a raw disk image.
_RAW_FORMATS = ("raw", "ami", "aki", "ari", "iso")


class ImageCache:
    def __init__(self, base_dir: str, fetcher: ImageFetcher) -> None:
        self.base_dir = base_dir
        self.fetcher = fetcher
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def _lock(self, image_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(image_id, threading.Lock())

    def path(self, image_id: str) -> str:
        return os.path.join(self.base_dir, image_id)

    def ensure(self, image_id: str, disk_format: str | None = None) -> tuple[str, str]:
        """(path, qemu format) of the cached image, fetching it the first time."""
        path = self.path(image_id)
        with self._lock(image_id):
            if not os.path.exists(path):
                os.makedirs(self.base_dir, exist_ok=True)
                self.fetcher.fetch(image_id, path)
            details = disk.info(path)
        detected = details["format"]
        claimed = "raw" if disk_format in _RAW_FORMATS else disk_format
        if claimed and claimed != detected:
            raise exceptions.ImageUnacceptable(
                image_id=image_id, reason=f"it claims to be {disk_format} but is {detected}")
        if details.get("backing-filename"):
            raise exceptions.ImageUnacceptable(image_id=image_id,
                                               reason="it has a backing file")
        return path, detected

    def virtual_size(self, image_id: str) -> int:
        return disk.info(self.path(image_id))["virtual-size"]

"""Where the agent gets image files from and puts snapshots: behind ImageFetcher, so an
HTTP fetcher (the image API's download) can replace the shared directory later.

LocalImageFetcher reads ``[compute] image_store_path``/<image id>, the directory the
image API of a single node stores uploads in.
"""
import abc
import os
import re
import shutil

from common import exceptions
from common.config import CONF

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _check_id(image_id: str) -> None:
    if not _SAFE_ID.match(image_id or ""):
        raise exceptions.ImageNotFound(image_id=image_id)


class ImageFetcher(abc.ABC):
    @abc.abstractmethod
    def fetch(self, image_id: str, dest: str) -> None:
        """Put the image's bytes at ``dest`` (atomically: whole or not at all)."""

    @abc.abstractmethod
    def upload(self, image_id: str, src: str) -> None:
        """Store the file ``src`` as the bytes of image ``image_id`` (snapshots)."""


class LocalImageFetcher(ImageFetcher):
    def __init__(self, root: str | None = None) -> None:
        self.root = root or CONF.compute.image_store_path

    def path(self, image_id: str) -> str:
        _check_id(image_id)
        return os.path.join(self.root, image_id)

    def fetch(self, image_id: str, dest: str) -> None:
        src = self.path(image_id)
        if not os.path.isfile(src):
            raise exceptions.ImageNotFound(image_id=image_id)
        partial = dest + ".part"
        try:
            os.link(src, partial)  # same filesystem: no copy, and safe from deletion
        except OSError:
            shutil.copyfile(src, partial)
        os.replace(partial, dest)

    def upload(self, image_id: str, src: str) -> None:
        dest = self.path(image_id)
        os.makedirs(self.root, exist_ok=True)
        partial = dest + ".part"
        shutil.copyfile(src, partial)
        os.replace(partial, dest)

"""/v2/images/{id}/file: upload (streamed to the image store) and download (streamed)."""
import contextlib

import falcon

from common import exceptions
from common import image_store as store
from common.db.api import images as images_db
from services.api import body, handlers
from services.api.image import images

OCTET_STREAM = "application/octet-stream"


class ImageFile:
    streams_body = True  # no JSON body limit: the store caps the size

    def on_put(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        if (req.content_type or "").split(";")[0].strip() != OCTET_STREAM:
            raise falcon.HTTPUnsupportedMediaType(
                description=f"Image data must be sent as {OCTET_STREAM}.")
        image = images.find(req, image_id, "image:upload_image")
        ctx = handlers.ctx(req)
        images_db.transition(ctx, image_id, ["queued"], "saving")
        try:
            stored = store.write(image_id, body.stream(req), image.disk_format)
        except BaseException:
            with contextlib.suppress(exceptions.StratoError):
                images_db.transition(ctx, image_id, ["saving"], "queued")
            raise
        try:
            images_db.transition(ctx, image_id, ["saving"], "active", {
                "size": stored.size, "virtual_size": stored.virtual_size,
                "checksum": stored.checksum, "os_hash_algo": stored.os_hash_algo,
                "os_hash_value": stored.os_hash_value})
        except exceptions.ImageNotFound:
            store.delete(image_id)  # deleted while uploading: keep no orphan file
            raise
        resp.status = 204

    def on_get(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        image = images.find(req, image_id, "image:download_image")
        ctx = handlers.ctx(req)
        if image.status == "deactivated" and not ctx.is_admin:
            raise exceptions.Forbidden("The requested image has been deactivated. Image "
                                       "data download is forbidden.")
        data = store.open_file(image_id) if image.status in ("active",
                                                             "deactivated") else None
        if data is None:
            resp.status = 204
            return
        resp.content_type = OCTET_STREAM
        resp.stream = data
        resp.content_length = image.size
        if image.checksum:
            resp.set_header("Content-MD5", image.checksum)

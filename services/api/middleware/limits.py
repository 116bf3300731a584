"""Request size limit: a body larger than ``[api] max_request_body_size`` is a 413.

Resources that stream their body (image uploads) set ``streams_body = True``.
"""
import falcon

from common import exceptions
from common.config import CONF


class BodySizeMiddleware:
    def process_resource(self, req: falcon.Request, _resp: falcon.Response,
                         resource: object, _params: dict) -> None:
        if getattr(resource, "streams_body", False):
            return
        if (req.content_length or 0) > CONF.api.max_request_body_size:
            raise exceptions.PayloadTooLarge(
                f"Request body is larger than {CONF.api.max_request_body_size} bytes.")

"""Request ids: take the caller's X-OpenStack-Request-ID or make one, answer with it,
log the request with it, and put it in the RequestContext so RPCs carry it."""
import re
import time
import uuid

import falcon
from oslo_log import log as logging

from common import context

LOG = logging.getLogger(__name__)
HEADER = "X-OpenStack-Request-ID"
_VALID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def new_request_id() -> str:
    return f"req-{uuid.uuid4()}"


class RequestIdMiddleware:
    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        given = req.get_header(HEADER)
        # Only ids in our own format are kept, so nothing odd reaches logs or headers.
        request_id = given if given and _VALID.match(given) else new_request_id()
        req.context.request_id = request_id
        req.context.started = time.monotonic()
        # An anonymous context until authentication replaces it: logs show the id.
        req.context.ctx = context.RequestContext(request_id=request_id)

    def process_response(self, req: falcon.Request, resp: falcon.Response,
                         _resource: object, _req_succeeded: bool) -> None:
        request_id = getattr(req.context, "request_id", None) or new_request_id()
        resp.set_header(HEADER, request_id)
        elapsed = time.monotonic() - getattr(req.context, "started", time.monotonic())
        LOG.info('%s "%s %s" status: %s time: %.4f', req.remote_addr, req.method,
                 req.relative_uri, resp.status_code, elapsed)

"""Every error, raised anywhere in a request, leaves in the format of the API it hit.

Strato exceptions carry their status; falcon's own errors (unknown route, wrong method,
malformed media) keep theirs; a service that did not answer in time is a 503 (retry
later, as a database that is down is); anything else is a 500, logged with its traceback.
"""
import http
from collections.abc import Callable

import falcon
import oslo_messaging as messaging
from oslo_log import log as logging

from common import exceptions
from services.api.spec import APIError, APISpec

LOG = logging.getLogger(__name__)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# What falcon's own errors say when they carry no description.
_DEFAULT_MESSAGES = {404: "The resource could not be found.",
                     405: "The method is not allowed for the requested URL."}


# Seconds a client is told to wait before retrying a 503.
RETRY_AFTER = 5


def classify(error: BaseException) -> APIError:
    if isinstance(error, messaging.MessagingTimeout):
        LOG.warning("no reply in time: %s", error)
        return APIError(503, _phrase(503), "A Strato service did not answer in time; "
                        "retry later.", error)
    if isinstance(error, exceptions.StratoError):
        return APIError(error.code, _phrase(error.code), error.msg, error)
    if isinstance(error, falcon.HTTPError):
        status = error.status_code
        message = error.description or _DEFAULT_MESSAGES.get(status, _phrase(status))
        return APIError(status, _phrase(status), message, error)
    LOG.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    return APIError(500, _phrase(500), "An unexpected error prevented the server from "
                    "fulfilling your request.", error)


def plain_body(error: APIError) -> dict:
    """Outside every API (e.g. /metrics): a neutral shape."""
    return {"error": {"code": error.status, "title": error.title, "message": error.message}}


def make_handler(find_api: Callable[[str], APISpec | None]) -> Callable:
    def handle(req: falcon.Request, resp: falcon.Response, error: BaseException,
               _params: dict) -> None:
        api_error = classify(error)
        if api_error.status < 500:
            LOG.info("%s %s: %s %s", req.method, req.path, api_error.status,
                     api_error.message)
        elif api_error.status == 503:
            LOG.warning("%s %s: 503 %s", req.method, req.path, api_error.message)
            resp.set_header("Retry-After", str(RETRY_AFTER))
        api = find_api(req.path)
        resp.status = api_error.status
        resp.media = api.error_body(api_error) if api else plain_body(api_error)
        if isinstance(error, falcon.HTTPError) and error.headers:
            resp.set_headers(error.headers)
    return handle

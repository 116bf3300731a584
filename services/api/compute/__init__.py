"""The compute API (Nova v2.1), mounted at /compute.

Resources plug in through ``add_routes`` (one module per resource, views/ for
microversion-shaped bodies); errors leave as Nova's ``{"<fault>": {"code", "message"}}``.
"""
import falcon

from services.api.compute import versions
from services.api.spec import APIError, APISpec

PREFIX = "/compute"

# Nova's fault names, keyed by status (webob's names in Nova's fault wrapper).
FAULTS = {400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
          405: "badMethod", 409: "conflictingRequest", 413: "overLimit",
          415: "badMediaType", 429: "overLimit", 501: "notImplemented",
          503: "serviceUnavailable"}


def error_body(error: APIError) -> dict:
    fault = FAULTS.get(error.status, "computeFault")
    return {fault: {"code": error.status, "message": error.message}}


def response_headers(req: falcon.Request, resp: falcon.Response) -> None:
    resp.set_header("x-compute-request-id", req.context.request_id)


def add_routes(app: falcon.App, prefix: str) -> None:
    app.add_route(prefix, versions.Versions())
    app.add_route(prefix + "/v2.1", versions.Version())


API = APISpec(name="compute", prefix=PREFIX, add_routes=add_routes, error_body=error_body,
              response_headers=response_headers)

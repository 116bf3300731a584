"""Builds the falcon WSGI application: middleware, error handling and the routes of
every API (identity, compute, network, image, dns) plus /healthcheck and /metrics."""
from collections.abc import Callable

import falcon

from common import policy
from common.config import CONF
from common.db import session
from services.api import apis, errors, openapi
from services.api.middleware import auth, limits, metrics, request_id
from services.api.spec import APISpec

EXPOSED_HEADERS = ["X-Subject-Token", "X-OpenStack-Request-ID", "OpenStack-API-Version",
                   "X-OpenStack-Nova-API-Version", "x-compute-request-id"]


class HealthCheck:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "OK"

    on_head = on_get


class APIResponseHeaders:
    """Adds the headers an API puts on every one of its responses."""

    def __init__(self, find_api: Callable[[str], APISpec | None]) -> None:
        self.find_api = find_api

    def process_response(self, req: falcon.Request, resp: falcon.Response,
                         _resource: object, _req_succeeded: bool) -> None:
        api = self.find_api(req.path)
        if api is not None and api.response_headers is not None:
            api.response_headers(req, resp)


def create_app() -> falcon.App:
    # Make the engine before threads serve requests: SQLAlchemy imports its dialect
    # lazily, and two threads doing that at once fail with a circular-import error.
    session.get_engine()
    served = apis.enabled()
    for api in served:
        policy.register_rules(api.policies)
    find_api = apis.finder(served)
    middleware: list = [request_id.RequestIdMiddleware(), metrics.MetricsMiddleware(),
                        APIResponseHeaders(find_api)]
    if CONF.api.cors_allowed_origins:
        origins = CONF.api.cors_allowed_origins
        middleware.append(falcon.CORSMiddleware(
            allow_origins="*" if "*" in origins else origins,
            expose_headers=EXPOSED_HEADERS))
    middleware += [limits.BodySizeMiddleware(), auth.AuthMiddleware()]
    for api in served:
        middleware.extend(api.middleware)
    app = falcon.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    handler = errors.make_handler(find_api)
    app.add_error_handler(Exception, handler)
    app.add_error_handler(falcon.HTTPError, handler)
    app.add_route("/healthcheck", HealthCheck())
    app.add_route("/metrics", metrics.Metrics())
    for api in served:
        api.add_routes(app, api.prefix)
        if api.openapi_path:
            app.add_route(api.prefix + api.openapi_path, openapi.Document(app, api))
    return app

"""The network API (Neutron v2.0), mounted at /network.

Errors leave as Neutron's ``{"NeutronError": {"type", "message", "detail"}}``.
"""
import falcon

from services.api.network import versions
from services.api.spec import APIError, APISpec

PREFIX = "/network"


def error_type(error: APIError) -> str:
    """The exception's own name for Strato errors (e.g. NetworkNotFound), else the
    HTTP-ish name Neutron uses for routing failures (HTTPNotFound)."""
    if isinstance(error.error, falcon.HTTPError) or error.status >= 500:
        return "HTTP" + error.title.replace(" ", "")
    return error.type_name


def error_body(error: APIError) -> dict:
    return {"NeutronError": {"type": error_type(error), "message": error.message,
                             "detail": ""}}


def add_routes(app: falcon.App, prefix: str) -> None:
    app.add_route(prefix, versions.Versions())


API = APISpec(name="network", prefix=PREFIX, add_routes=add_routes, error_body=error_body)

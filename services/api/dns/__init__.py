"""The DNS API (Designate v2), mounted at /dns.

Errors leave as Designate's ``{"code", "type", "message", "request_id"}``.
"""
import re

import falcon

from common import exceptions
from services.api.dns import versions
from services.api.spec import APIError, APISpec

PREFIX = "/dns"

TYPES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "request_too_large"}


def error_type(error: APIError) -> str:
    """snake_case of a Strato exception's name (ZoneNotFound → zone_not_found)."""
    if isinstance(error.error, exceptions.StratoError) and error.status < 500:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", error.type_name).lower()
    return TYPES.get(error.status, "internal_server_error")


def error_body(error: APIError) -> dict:
    return {"code": error.status, "type": error_type(error), "message": error.message}


def add_routes(app: falcon.App, prefix: str) -> None:
    app.add_route(prefix, versions.Versions())


API = APISpec(name="dns", prefix=PREFIX, add_routes=add_routes, error_body=error_body)

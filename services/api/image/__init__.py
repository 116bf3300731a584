"""The image API (Glance v2), mounted at /image.

Glance's errors are webob's: with a JSON Accept header the body is
``{"code": "404 Not Found", "title": "Not Found", "message": ...}``, the shape used here.
"""
import falcon

from services.api.image import versions
from services.api.spec import APIError, APISpec

PREFIX = "/image"


def error_body(error: APIError) -> dict:
    return {"code": f"{error.status} {error.title}", "title": error.title,
            "message": error.message}


def add_routes(app: falcon.App, prefix: str) -> None:
    app.add_route(prefix, versions.Versions())


API = APISpec(name="image", prefix=PREFIX, add_routes=add_routes, error_body=error_body)

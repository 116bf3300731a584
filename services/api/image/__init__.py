"""The image API (Glance v2 subset), mounted at /image.

Glance's errors are webob's: with a JSON Accept header the body is
``{"code": "404 Not Found", "title": "Not Found", "message": ...}``, the shape used here.
Image files live in ``[compute] image_store_path`` (common.image_store).
"""
import falcon

from common import exceptions
from services.api.image import image_data, images, members, policies, schemas, versions
from services.api.spec import APIError, APISpec

PREFIX = "/image"


def error_body(error: APIError) -> dict:
    return {"code": f"{error.status} {error.title}", "title": error.title,
            "message": error.message}


class NoImageId:
    """/v2/images/ (an empty image id) is Glance's 404, not the list the app's
    trailing-slash stripping would make of it."""

    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        if req.env.get("PATH_INFO", "").rstrip("/") == PREFIX + "/v2/images" and \
                req.env["PATH_INFO"].endswith("/") and req.method != "POST":
            raise exceptions.NotFound("No image id given.")


def add_routes(app: falcon.App, prefix: str) -> None:
    v2 = prefix + "/v2"
    app.add_route(prefix, versions.Versions())
    app.add_route(v2 + "/images", images.Images())
    app.add_route(v2 + "/images/{image_id}", images.Image())
    app.add_route(v2 + "/images/{image_id}/file", image_data.ImageFile())
    app.add_route(v2 + "/images/{image_id}/tags/{tag}", images.ImageTag())
    app.add_route(v2 + "/images/{image_id}/tasks", images.ImageTasks())
    app.add_route(v2 + "/images/{image_id}/members", members.Members())
    app.add_route(v2 + "/images/{image_id}/members/{member_id}", members.Member())
    app.add_route(v2 + "/images/{image_id}/actions/{action}", images.ImageAction())
    app.add_route(v2 + "/schemas/image", schemas.ImageSchema())
    app.add_route(v2 + "/schemas/images", schemas.ImagesSchema())
    app.add_route(v2 + "/schemas/member", schemas.MemberSchema())
    app.add_route(v2 + "/schemas/members", schemas.MembersSchema())


ERROR_SCHEMA = {"type": "object", "required": ["code", "title", "message"],
                "properties": {"code": {"type": "string"}, "title": {"type": "string"},
                               "message": {"type": "string"}}}

API = APISpec(name="image", prefix=PREFIX, add_routes=add_routes, error_body=error_body,
              error_schema=ERROR_SCHEMA, openapi_path="/v2/openapi.json",
              policies=policies.RULES, middleware=(NoImageId(),))

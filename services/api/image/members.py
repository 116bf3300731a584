"""/v2/images/{id}/members: sharing an image (visibility "shared") with other projects.

The owner adds and removes members; a member accepts or rejects (and sees only its own
membership); an accepted image shows in the member's lists.
"""
from typing import Any

import falcon

from common import exceptions, policy
from common.db.api import images as images_db
from services.api import body, handlers
from services.api.image import images, views

CREATE = {"type": "object", "required": ["member"], "additionalProperties": False,
          "properties": {"member": {"type": "string", "minLength": 1, "maxLength": 255}}}
UPDATE = {"type": "object", "required": ["status"], "additionalProperties": False,
          "properties": {"status": {"enum": list(images_db.MEMBER_STATUSES)}}}


def view(row: images_db.MemberRecord) -> dict[str, Any]:
    return {"image_id": row.image_id, "member_id": row.member, "status": row.status,
            "created_at": views.timestamp(row.created_at),
            "updated_at": views.timestamp(row.updated_at or row.created_at),
            "schema": "/v2/schemas/member"}


def _owner_only(req: falcon.Request, image: images_db.ImageRecord) -> None:
    policy.authorize(handlers.ctx(req), "image:modify_image", {"project_id": image.owner})


def _mine_or_owner(req: falcon.Request, image: images_db.ImageRecord, member: str) -> None:
    ctx = handlers.ctx(req)
    if ctx.project_id != member and ctx.project_id != image.owner and not ctx.is_admin:
        raise exceptions.NotFound(f"{member} is not a member of image {image.id}.")


class Members:
    def on_get(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        ctx = handlers.ctx(req)
        image = images.find(req, image_id)
        only = None if ctx.is_admin or ctx.project_id == image.owner else ctx.project_id
        rows = images_db.list_members(ctx, image_id, only)
        resp.media = {"members": [view(row) for row in rows],
                      "schema": "/v2/schemas/members"}

    def on_post(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        image = images.find(req, image_id)
        _owner_only(req, image)
        member = body.json_body(req, CREATE)["member"]
        resp.media = view(images_db.add_member(handlers.ctx(req), image_id, member))


class Member:
    def on_get(self, req: falcon.Request, resp: falcon.Response, image_id: str,
               member_id: str) -> None:
        _mine_or_owner(req, images.find(req, image_id), member_id)
        resp.media = view(images_db.get_member(handlers.ctx(req), image_id, member_id))

    def on_put(self, req: falcon.Request, resp: falcon.Response, image_id: str,
               member_id: str) -> None:
        image = images.find(req, image_id)
        _mine_or_owner(req, image, member_id)
        if handlers.ctx(req).project_id != member_id:
            raise exceptions.Forbidden("Only the member itself may accept or reject an "
                                       "image.")
        status = body.json_body(req, UPDATE)["status"]
        resp.media = view(images_db.set_member_status(handlers.ctx(req), image_id, member_id,
                                                      status))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, image_id: str,
                  member_id: str) -> None:
        image = images.find(req, image_id)
        _owner_only(req, image)
        images_db.remove_member(handlers.ctx(req), image_id, member_id)
        resp.status = 204

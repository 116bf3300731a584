"""/v2/images and /v2/images/{id}: list, create, show, JSON-patch update, delete, and
the admin actions deactivate/reactivate."""
import json
from typing import Any

import falcon

from common import exceptions, policy
from common import image_store as store
from common.db.api import images as images_db
from services.api import body, handlers
from services.api.image import listing, patch, schemas, views


def find(req: falcon.Request, image_id: str,
         rule: str = "image:get_image") -> images_db.ImageRecord:
    """An image the caller may see (404 otherwise), after checking ``rule`` on it."""
    ctx = handlers.ctx(req)
    policy.authorize(ctx, "image:get_image")
    image = images_db.get(ctx, image_id)
    if rule != "image:get_image":
        policy.authorize(ctx, rule, {"project_id": image.owner})
    return image


def _document(image: images_db.ImageRecord) -> dict[str, Any]:
    """What a client may change, flat: base attributes and extra properties."""
    return {**(image.properties or {}),
            **{key: getattr(image, key) for key in schemas.BASE if key != "tags"},
            "tags": list(image.tags)}


def _split(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(columns, extra properties, tags) of a validated document."""
    columns = {key: document[key] for key in schemas.BASE
               if key in document and key != "tags"}
    properties = {key: value for key, value in document.items() if key not in schemas.BASE}
    return columns, properties, list(document.get("tags") or [])


def _check_privileges(req: falcon.Request, columns: dict[str, Any],
                      owner: str | None) -> None:
    ctx = handlers.ctx(req)
    if columns.get("visibility") == "public":
        policy.authorize(ctx, "image:publicize_image")
    if "owner" in columns and columns["owner"] != owner:
        policy.authorize(ctx, "image:set_image_owner")


class Images:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "image:get_images")
        limit, marker = listing.limit_and_marker(req)
        rows = images_db.list_images(ctx, listing.filters(req),
                                     limit, marker, listing.sort(req))
        resp.media = views.image_list(rows, *listing.page_links(req, rows, limit))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "image:add_image")
        document = body.json_body(req)
        if not isinstance(document, dict):
            raise exceptions.BadRequest("The request body must be a JSON object.")
        for key in document:
            if key in schemas.READ_ONLY:
                raise exceptions.Forbidden(f"Attribute '{key}' is read-only.")
        body.validate(document, schemas.IMAGE)
        columns, properties, tags = _split(document)
        _check_privileges(req, columns, ctx.project_id)
        columns.setdefault("owner", ctx.project_id)
        columns.setdefault("visibility", "shared")
        image = images_db.create(handlers.ctx(req), columns, properties, tags)
        resp.status = 201
        resp.location = f"/v2/images/{image.id}"
        resp.media = views.image(image)


class Image:
    def on_get(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        resp.media = views.image(find(req, image_id))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        if (req.content_type or "").split(";")[0].strip() not in patch.MEDIA_TYPES:
            raise falcon.HTTPUnsupportedMediaType(
                description=f"Unsupported Content-Type; use {patch.MEDIA_TYPES[0]}.")
        try:
            operations = json.loads(body.read(req) or b"null")
        except (ValueError, UnicodeDecodeError) as e:
            raise exceptions.BadRequest(f"Malformed JSON in request body: {e}") from None
        image = find(req, image_id, "image:modify_image")
        document = patch.apply(_document(image), operations)
        body.validate(document, schemas.IMAGE)
        columns, properties, tags = _split(document)
        changed = {key: value for key, value in columns.items()
                   if value != getattr(image, key)}
        _check_privileges(req, changed, image.owner)
        if image.status != "queued" and {"disk_format", "container_format"} & set(changed):
            raise exceptions.Forbidden("Attributes 'container_format' and 'disk_format' "
                                       "can be only replaced for a queued image.")
        resp.media = views.image(images_db.update(handlers.ctx(req), image_id, changed,
                                                  properties, tags))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        find(req, image_id, "image:delete_image")
        images_db.delete(handlers.ctx(req), image_id)
        store.delete(image_id)
        resp.status = 204


class ImageAction:
    """POST /v2/images/{id}/actions/deactivate | reactivate (admin)."""

    _TRANSITIONS = {"deactivate": (("active", "deactivated"), "deactivated"),
                    "reactivate": (("deactivated", "active"), "active")}

    def on_post(self, req: falcon.Request, resp: falcon.Response, image_id: str,
                action: str) -> None:
        if action not in self._TRANSITIONS:
            raise exceptions.NotFound(f"Unknown image action {action}.")
        find(req, image_id, f"image:{action}")
        from_states, to_state = self._TRANSITIONS[action]
        images_db.transition(handlers.ctx(req), image_id, from_states, to_state)
        resp.status = 204


class ImageTag:
    def on_put(self, req: falcon.Request, resp: falcon.Response, image_id: str,
               tag: str) -> None:
        find(req, image_id, "image:modify_image")
        if len(tag) > 255:
            raise exceptions.BadRequest("Image tag is longer than 255 characters.")
        images_db.add_tag(handlers.ctx(req), image_id, tag)
        resp.status = 204

    def on_delete(self, req: falcon.Request, resp: falcon.Response, image_id: str,
                  tag: str) -> None:
        find(req, image_id, "image:modify_image")
        images_db.remove_tag(handlers.ctx(req), image_id, tag)
        resp.status = 204


class ImageTasks:
    """GET /v2/images/{id}/tasks (2.12): no image import here, so never any tasks."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, image_id: str) -> None:
        find(req, image_id)
        resp.media = {"tasks": []}

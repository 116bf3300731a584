"""The handlers every Neutron resource shares: a collection (list, create, bulk create)
and an item (show, update, delete). A resource module names its domain functions in a
``Kind``; each handler checks one policy rule, calls one domain function, reports the
write (services.api.network.events) and renders the body (views.bodies)."""
import builtins
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import falcon

from common import exceptions, policy
from services.api import body, handlers
from services.api.network import events, query
from services.api.network.views import bodies


@dataclass(frozen=True)
class Kind:
    singular: str  # "security_group": the JSON key and the policy/event name
    plural: str  # "security_groups": the JSON key of lists and bulk bodies
    get: Callable[..., dict]  # (ctxt, id)
    list: Callable[..., "builtins.list[dict]"]  # (ctxt, filters=, sorts=, limit=, ...)
    create: Callable[..., dict]  # (ctxt, body)
    # (ctxt, id); may return further resources [(kind, id)] the delete changed.
    delete: Callable[..., "builtins.list[tuple[str, str]] | None"]
    update: Callable[..., dict] | None = None  # (ctxt, id, body); None: not updatable
    # (ctxt, [body]): bulk, atomic
    create_many: Callable[..., "builtins.list[dict]"] | None = None


def envelope(doc: Any, key: str, kind: type = dict) -> Any:
    """``doc[key]``, which must be there and be a ``kind`` (a JSON object or list)."""
    if not isinstance(doc, dict) or key not in doc:
        raise exceptions.BadRequest(f"Resource body required: expected '{key}'.")
    if not isinstance(doc[key], kind):
        raise exceptions.BadRequest(f"'{key}' must be a JSON "
                                    f"{'object' if kind is dict else 'list'}.")
    return doc[key]


class Collection:
    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:list_{self.kind.singular}")
        found = query.parse(req)
        items = self.kind.list(ctx, **found.page())
        resp.media = bodies.page(req, self.kind.plural, items, found)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:create_{self.kind.singular}")
        doc = body.json_body(req)
        if isinstance(doc, dict) and self.kind.plural in doc:
            items = self._create_many(ctx, envelope(doc, self.kind.plural, list))
            events.written(ctx, self.kind.singular, "create", items, bulk=self.kind.plural)
            resp.media = bodies.many(self.kind.plural, items)
        else:
            item = self.kind.create(ctx, envelope(doc, self.kind.singular))
            events.written(ctx, self.kind.singular, "create", [item])
            resp.media = bodies.one(self.kind.singular, item)
        resp.status = 201

    def _create_many(self, ctx: Any, values: list) -> list[dict]:
        if self.kind.create_many is None:
            raise exceptions.BadRequest(f"Bulk creation of {self.kind.plural} is not "
                                        "supported.")
        return self.kind.create_many(ctx, values)


class Item:
    """Show and delete; ``item_resource()`` adds update where the resource has it."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response, resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:get_{self.kind.singular}")
        resp.media = bodies.one(self.kind.singular, self.kind.get(ctx, resource_id),
                                query.fields(req))

    def on_delete(self, req: falcon.Request, resp: falcon.Response,
                  resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:delete_{self.kind.singular}")
        also = self.kind.delete(ctx, resource_id) or ()
        events.written(ctx, self.kind.singular, "delete", [{"id": resource_id}], also)
        resp.status = 204


class UpdatableItem(Item):
    def on_put(self, req: falcon.Request, resp: falcon.Response, resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:update_{self.kind.singular}")
        values = envelope(body.json_body(req), self.kind.singular)
        assert self.kind.update is not None  # routed only for updatable kinds
        item = self.kind.update(ctx, resource_id, values)
        events.written(ctx, self.kind.singular, "update", [item])
        resp.media = bodies.one(self.kind.singular, item)


def item_resource(kind: Kind) -> Item:
    """The item resource of ``kind``; without an update function PUT is a 405."""
    return UpdatableItem(kind) if kind.update is not None else Item(kind)

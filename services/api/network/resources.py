"""The handlers every Neutron resource shares: a collection (list, create, bulk create)
and an item (show, update, delete). A resource module names its domain functions in a
``Kind``; each handler checks one policy rule and calls one of the functions below, which
parse the body by the resource's schema (services.api.network.schemas), call one domain
function with the values and render its records (views.resources); the handler then
reports the write (services.api.network.events) and wraps the body (views.bodies)."""
import builtins
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import falcon

from common import exceptions, policy
from services.api import body, handlers
from services.api.network import events, query, schemas
from services.api.network.views import bodies, resources

Record = Mapping[str, Any]  # what a domain function returns (common.db.api.network_records)


@dataclass(frozen=True)
class Kind:
    singular: str  # "security_group": the JSON key and the policy/event name
    plural: str  # "security_groups": the JSON key of lists and bulk bodies
    schema: schemas.Schema  # what a create or update body may hold
    get: Callable[..., Record]  # (ctxt, id)
    list: Callable[..., Sequence[Record]]  # (ctxt, filters=): all the caller sees
    create: Callable[..., Record]  # (ctxt, values)
    # (ctxt, id); may return further resources [(kind, id)] the delete changed.
    delete: Callable[..., "builtins.list[tuple[str, str]] | None"]
    update: Callable[..., Record] | None = None  # (ctxt, id, values); None: not updatable
    # (ctxt, [values]): bulk, atomic
    create_many: Callable[..., Sequence[Record]] | None = None

    def view(self, record: Record) -> dict:
        """The API body of one of this kind's records."""
        return resources.BY_KIND[self.singular](record)


def envelope(doc: Any, key: str, kind: type = dict) -> Any:
    """``doc[key]``, which must be there and be a ``kind`` (a JSON object or list)."""
    if not isinstance(doc, dict) or key not in doc:
        raise exceptions.BadRequest(f"Resource body required: expected '{key}'.")
    if not isinstance(doc[key], kind):
        raise exceptions.BadRequest(f"'{key}' must be a JSON "
                                    f"{'object' if kind is dict else 'list'}.")
    return doc[key]


def show(ctx: Any, kind: Kind, resource_id: str) -> dict:
    return kind.view(kind.get(ctx, resource_id))


def index(ctx: Any, kind: Kind, found: query.ListQuery) -> list[dict]:
    """The page ``found`` asks for, of the rendered resources (filters on any attribute
    a client sees)."""
    return query.select([kind.view(item) for item in kind.list(ctx, filters=found.filters)],
                        found)


def create(ctx: Any, kind: Kind, doc: Any) -> dict:
    values = schemas.parse(ctx, doc, kind.schema, create=True)
    return kind.view(kind.create(ctx, values))


def create_many(ctx: Any, kind: Kind, docs: list) -> list[dict]:
    """A bulk create: all of them or none."""
    if kind.create_many is None:
        raise exceptions.BadRequest(f"Bulk creation of {kind.plural} is not supported.")
    values = [schemas.parse(ctx, doc, kind.schema, create=True) for doc in docs]
    return [kind.view(item) for item in kind.create_many(ctx, values)]


def update(ctx: Any, kind: Kind, resource_id: str, doc: Any) -> dict:
    assert kind.update is not None  # routed only for updatable kinds
    values = schemas.parse(ctx, doc, kind.schema, create=False)
    return kind.view(kind.update(ctx, resource_id, values))


class Collection:
    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:list_{self.kind.singular}")
        found = query.parse(req)
        resp.media = bodies.page(req, self.kind.plural, index(ctx, self.kind, found), found)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:create_{self.kind.singular}")
        doc = body.json_body(req)
        if isinstance(doc, dict) and self.kind.plural in doc:
            items = create_many(ctx, self.kind, envelope(doc, self.kind.plural, list))
            events.written(ctx, self.kind.singular, "create", items, bulk=self.kind.plural)
            resp.media = bodies.many(self.kind.plural, items)
        else:
            item = create(ctx, self.kind, envelope(doc, self.kind.singular))
            events.written(ctx, self.kind.singular, "create", [item])
            resp.media = bodies.one(self.kind.singular, item)
        resp.status = 201


class Item:
    """Show and delete; ``item_resource()`` adds update where the resource has it."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response, resource_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, f"network:get_{self.kind.singular}")
        resp.media = bodies.one(self.kind.singular, show(ctx, self.kind, resource_id),
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
        doc = envelope(body.json_body(req), self.kind.singular)
        item = update(ctx, self.kind, resource_id, doc)
        events.written(ctx, self.kind.singular, "update", [item])
        resp.media = bodies.one(self.kind.singular, item)


def item_resource(kind: Kind) -> Item:
    """The item resource of ``kind``; without an update function PUT is a 405."""
    return UpdatableItem(kind) if kind.update is not None else Item(kind)

"""/os-keypairs: a user's keypairs (import or generate, list, show, delete). From 2.10
an admin may name another user (``user_id``)."""
import falcon

from common import exceptions, policy
from common.db.api import compute_keypairs
from services.api import body, handlers
from services.api.compute import keys, microversion, params
from services.api.compute.views import common
from services.api.compute.views import keypairs as views
from services.compute import quotas

_KEYPAIR = {"name": {"type": "string", "minLength": 1, "maxLength": 255,
                     "pattern": r"^[a-zA-Z0-9 _-]+$"},
            "public_key": {"type": "string"}}
_V22 = {**_KEYPAIR, "type": {"enum": ["ssh", "x509"]}}
_V210 = {**_V22, "user_id": {"type": "string", "minLength": 1, "maxLength": 255}}


def _create_schema(properties: dict) -> dict:
    return {"type": "object", "required": ["keypair"], "additionalProperties": False,
            "properties": {"keypair": {"type": "object", "required": ["name"],
                                       "additionalProperties": False,
                                       "properties": properties}}}


CREATE = {(2, 1): _create_schema(_KEYPAIR), (2, 2): _create_schema(_V22),
          (2, 10): _create_schema(_V210)}


def _user(req: falcon.Request, rule: str, user_id: str | None = None) -> str:
    """The user whose keypairs the request is about: the caller's own, or from 2.10 the
    ``user_id`` an admin names."""
    ctx = handlers.ctx(req)
    if user_id is not None and microversion.version(req) < (2, 10):
        user_id = None
    owner = user_id or ctx.scoped_user_id
    policy.authorize(ctx, f"compute:keypairs:{rule}", {"user_id": owner})
    return owner


def _schema(version: microversion.Version) -> dict:
    return CREATE[max(key for key in CREATE if version >= key)]


class Keypairs:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        version = microversion.version(req)
        user_id = _user(req, "index", handlers.query(req, "user_id"))
        limit = marker = None
        if version >= (2, 35):
            raw = handlers.query(req, "limit")
            limit = params.integer("limit", raw, minimum=0) if raw is not None else None
            marker = handlers.query(req, "marker")
        rows = compute_keypairs.list_keypairs(handlers.ctx(req), user_id, limit, marker)
        resp.media = {"keypairs": [views.summary(row, version) for row in rows]}
        more = common.next_links(req, rows, limit, "", lambda row: row.name)
        if more:
            resp.media["keypairs_links"] = more

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        version = microversion.version(req)
        values = body.json_body(req, _schema(version))["keypair"]
        user_id = _user(req, "create", values.get("user_id"))
        key_type = values.get("type", "ssh")
        quotas.check_keypairs(handlers.ctx(req), user_id)
        private_key, public_key = None, values.get("public_key")
        if public_key is None:
            private_key, public_key = keys.generate(key_type, values["name"])
        elif not public_key.strip():
            raise exceptions.BadRequest("Keypair data is invalid: public key is empty")
        keypair = compute_keypairs.create(handlers.ctx(req), user_id, values["name"],
                                          public_key, keys.fingerprint(public_key, key_type),
                                          key_type)
        resp.status = 201 if version >= (2, 2) else 200
        resp.media = views.created(keypair, version, private_key)


class Keypair:
    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        user_id = _user(req, "show", handlers.query(req, "user_id"))
        resp.media = views.detail(compute_keypairs.get(handlers.ctx(req), user_id, name),
                                  microversion.version(req))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        user_id = _user(req, "delete", handlers.query(req, "user_id"))
        compute_keypairs.delete(handlers.ctx(req), user_id, name)
        resp.status = 204 if microversion.version(req) >= (2, 2) else 202

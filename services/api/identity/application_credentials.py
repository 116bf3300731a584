"""/v3/users/{id}/application_credentials: the secret is shown once, at creation."""
import datetime
import secrets
from typing import cast

import falcon

from common import context, exceptions, policy
from common.db.api import identity_assignments as assignments_db
from common.db.api import identity_credentials as credentials_db
from services.api import body, handlers, pagination
from services.api.auth import lookups, validator
from services.api.identity.views import entities as views

CREATE_SCHEMA = {
    "type": "object", "required": ["application_credential"],
    "properties": {"application_credential": {
        "type": "object", "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "description": {"type": ["string", "null"]},
            "secret": {"type": ["string", "null"], "minLength": 1},
            "expires_at": {"type": ["string", "null"]},
            "unrestricted": {"type": ["boolean", "null"]},
            "roles": {"type": "array", "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}},
            "access_rules": {"type": "array", "maxItems": 0},
        },
        "additionalProperties": False,
    }},
}


def _expiry(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise exceptions.BadRequest(f"Invalid expires_at {value!r}.") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def _role_ids(requested: list[dict], held: tuple[lookups.Named, ...]) -> list[str]:
    """The requested roles, which must be among the token's; all of them by default."""
    if not requested:
        return [role.id for role in held]
    by_id = {role.id: role for role in held}
    by_name = {role.name: role for role in held}
    chosen = []
    for ref in requested:
        role = by_id.get(ref.get("id", "")) or by_name.get(ref.get("name", ""))
        if role is None:
            raise exceptions.Forbidden(f"The token does not hold role {ref}.")
        chosen.append(role.id)
    return chosen


def _view(ctxt: context.RequestContext, row: credentials_db.CredentialRecord) -> dict:
    return views.application_credential(
        row, list(assignments_db.roles_by_id(ctxt, row.roles).values()))


class ApplicationCredentials:
    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:list_application_credentials",
                         {"target.user.id": user_id})
        limit, marker = pagination.params(req)
        rows = credentials_db.list_for_user(handlers.ctx(req), user_id,
                                            name=handlers.query(req, "name"),
                                            limit=limit, marker=marker)
        ctxt = handlers.ctx(req)
        resp.media = views.collection("application_credentials", [_view(ctxt, r) for r in rows],
                                      pagination.self_link(req),
                                      pagination.next_link(req, rows, limit))

    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "identity:create_application_credential",
                         {"target.user.id": user_id})
        values = body.json_body(req, CREATE_SCHEMA)["application_credential"]
        if not ctx.project_id:
            raise exceptions.BadRequest("Application credentials are made with a "
                                        "project-scoped token.")
        token = validator.local().open(cast(str, ctx.auth_token))  # authenticated
        if token.app_cred_id and not lookups.application_credential(
                token.app_cred_id).unrestricted:
            raise exceptions.Forbidden("A restricted application credential cannot make "
                                       "another one.")
        secret = values.get("secret") or secrets.token_urlsafe(64)
        row = credentials_db.create(
            ctx, user_id, values["name"], secret,
            _role_ids(values.get("roles") or [], lookups.roles(token, fresh=True)),
            description=values.get("description"), expires_at=_expiry(values.get("expires_at")),
            unrestricted=bool(values.get("unrestricted")))
        resp.status = 201
        resp.media = {"application_credential": {**_view(handlers.ctx(req), row), "secret": secret}}


class ApplicationCredential:
    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str,
               credential_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:get_application_credential",
                         {"target.user.id": user_id})
        resp.media = {"application_credential": _view(handlers.ctx(req), credentials_db.get(
            handlers.ctx(req), credential_id, user_id))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, user_id: str,
                  credential_id: str) -> None:
        policy.authorize(handlers.ctx(req), "identity:delete_application_credential",
                         {"target.user.id": user_id})
        credentials_db.delete(handlers.ctx(req), credential_id, user_id)
        resp.status = 204

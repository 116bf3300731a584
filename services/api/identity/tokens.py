"""/v3/auth/tokens: issue (POST), validate (GET, HEAD) and revoke (DELETE) tokens."""
import falcon

from common import exceptions, policy
from common.db.api import identity_revocations as revocations_db
from services.api import body, handlers
from services.api.auth import lookups, validator
from services.api.auth.tokens import Token
from services.api.identity import authenticate
from services.api.identity.views import tokens as views

SUBJECT_HEADER = "X-Subject-Token"

AUTH_SCHEMA = {
    "type": "object",
    "required": ["auth"],
    "properties": {"auth": {
        "type": "object",
        "required": ["identity"],
        "properties": {
            "identity": {
                "type": "object",
                "required": ["methods"],
                "properties": {"methods": {"type": "array", "items": {"type": "string"}}},
            },
            "scope": {"type": ["object", "string"]},
        },
    }},
}


def _subject(req: falcon.Request, rule: str) -> tuple[Token, str]:
    sealed = req.get_header(SUBJECT_HEADER)
    if not sealed:
        raise exceptions.BadRequest(f"The {SUBJECT_HEADER} header is required.")
    try:
        token = validator.local().open(sealed)
    except exceptions.Unauthorized:
        raise exceptions.NotFound(f"Could not find token: {sealed}.") from None
    policy.authorize(handlers.ctx(req), rule, {"target.token.user_id": token.user_id})
    return token, sealed


class Tokens:
    public_methods = frozenset({"POST"})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        token = authenticate.issue(body.json_body(req, AUTH_SCHEMA))
        sealed = validator.local().formatter.seal(token)
        resp.status = 201
        resp.set_header(SUBJECT_HEADER, sealed)
        resp.media = views.token(token, lookups.roles(token, fresh=True),
                                 with_catalog=handlers.query_bool(req, "nocatalog") is None)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        token, sealed = _subject(req, "identity:validate_token")
        resp.set_header(SUBJECT_HEADER, sealed)
        resp.media = views.token(token, lookups.roles(token),
                                 with_catalog=handlers.query_bool(req, "nocatalog") is None)

    def on_head(self, req: falcon.Request, resp: falcon.Response) -> None:
        _token, sealed = _subject(req, "identity:check_token")
        resp.set_header(SUBJECT_HEADER, sealed)

    def on_delete(self, req: falcon.Request, resp: falcon.Response) -> None:
        token, _sealed = _subject(req, "identity:revoke_token")
        revocations_db.revoke(handlers.ctx(req), audit_id=token.audit_ids[0])
        validator.local().revocations.invalidate()
        resp.status = 204

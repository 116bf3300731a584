"""Authentication: X-Auth-Token → RequestContext on every route that is not public.

A resource lists the methods anyone may call in ``public_methods`` (version documents,
POST /v3/auth/tokens, /healthcheck); everything else needs a valid token, and a missing,
invalid, expired or revoked one is a 401 in the format of the API called. A token that
comes along is checked even where none is needed (an unknown route included), so a bad
token is a 401 everywhere, as behind keystonemiddleware.
"""
import falcon

from common import exceptions
from services.api.auth import validator

TOKEN_HEADER = "X-Auth-Token"


class AuthMiddleware:
    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        auth_token = req.get_header(TOKEN_HEADER)
        if auth_token and req.method != "OPTIONS":
            req.context.ctx = validator.get().context(auth_token, req.context.request_id)
            req.context.authenticated = True

    def process_resource(self, req: falcon.Request, _resp: falcon.Response,
                         resource: object, _params: dict) -> None:
        if resource is None or req.method == "OPTIONS":
            return
        if getattr(req.context, "authenticated", False):
            return
        if req.method in getattr(resource, "public_methods", ()):
            return
        if not hasattr(resource, "on_" + req.method.lower()):
            return  # falcon answers 405; no need to know who asked
        raise exceptions.Unauthorized("The request you have made requires authentication.")

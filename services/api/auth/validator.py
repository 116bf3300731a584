"""X-Auth-Token → RequestContext, with the built-in identity or an external Keystone."""
import threading
from typing import Protocol

from common import context, exceptions
from common.config import CONF
from common.fernet_keys import KeyRing
from services.api.auth import lookups
from services.api.auth.revocations import RevocationList
from services.api.auth.tokens import Token, TokenFormatter


class Validator(Protocol):
    def context(self, auth_token: str, request_id: str) -> context.RequestContext: ...


class LocalValidator:
    """Opens our own Fernet tokens: no database read unless a cache is cold."""

    def __init__(self) -> None:
        self.formatter = TokenFormatter(KeyRing(CONF.identity.key_repository))
        self.revocations = RevocationList()

    def open(self, auth_token: str) -> Token:
        """The token, or Unauthorized if it is invalid, expired or revoked."""
        token = self.formatter.open(auth_token)
        if self.revocations.is_revoked(token):
            raise exceptions.Unauthorized("The token has been revoked.")
        return token

    def context(self, auth_token: str, request_id: str) -> context.RequestContext:
        token = self.open(auth_token)
        try:
            roles = [role.name for role in lookups.roles(token)]
            project_domain_id = (lookups.project(token.project_id).domain_id
                                 if token.project_id else None)
            user_domain_id = lookups.user(token.user_id).domain_id
        except exceptions.NotFound:
            # Its user or project is gone and the revocation has not reached us yet.
            raise exceptions.Unauthorized("The token is no longer valid.") from None
        return context.RequestContext(
            auth_token=auth_token, user_id=token.user_id, project_id=token.project_id,
            domain_id=token.domain_id, project_domain_id=project_domain_id,
            user_domain_id=user_domain_id,
            system_scope="all" if token.system else None,
            roles=roles, is_admin="admin" in roles, request_id=request_id)


_lock = threading.Lock()
_validator: Validator | None = None


def get() -> Validator:
    """This process's validator, chosen by ``[identity] external_keystone_url``."""
    global _validator
    with _lock:
        if _validator is None:
            if CONF.identity.external_keystone_url:
                from services.api.auth import external  # keystoneauth only when used
                _validator = external.ExternalValidator()
            else:
                _validator = LocalValidator()
        return _validator


def local() -> LocalValidator:
    validator = get()
    if not isinstance(validator, LocalValidator):
        raise exceptions.NotFound("The built-in identity is off: tokens come from "
                                  f"{CONF.identity.external_keystone_url}.")
    return validator


def reset() -> None:
    """Forget the validator (config changed, or between tests)."""
    global _validator
    with _lock:
        _validator = None
    lookups.clear()

"""Who is asking for a token: the password, token and application_credential methods,
and the scope the token will carry.

Every failure to authenticate or to scope is the same 401, as in Keystone, so a caller
learns nothing about which part was wrong.
"""
import datetime
import time
from dataclasses import dataclass
from typing import Any, cast

from common import context, exceptions
from common.config import CONF
from common.db.api import identity as identity_db
from common.db.api import identity_assignments as assignments_db
from common.db.api import identity_credentials as credentials_db
from common.db.types import utcnow
from services.api.auth import validator
from services.api.auth.tokens import Token, new_audit_id

UNAUTHORIZED = "The request you have made requires authentication."


def _unauthorized(message: str = UNAUTHORIZED) -> exceptions.Unauthorized:
    return exceptions.Unauthorized(message)


@dataclass
class Identity:
    user: identity_db.UserRecord
    methods: list[str]
    expires_at: float | None = None  # a rescoped token keeps its parent's expiry
    parent_audit_id: str | None = None
    app_cred: credentials_db.CredentialRecord | None = None


def _domain_ref(ref: dict[str, Any]) -> identity_db.ProjectRecord:
    system = context.get_admin_context()  # authentication: no caller identity yet
    try:
        domain = (identity_db.get_domain(system, ref["id"]) if "id" in ref
                  else identity_db.find_domain(system, ref["name"]))
    except (exceptions.NotFound, KeyError):
        raise _unauthorized() from None
    if not domain.enabled:
        raise _unauthorized()
    return domain


def _user_ref(ref: dict[str, Any]) -> identity_db.UserRecord:
    system = context.get_admin_context()  # authentication: no caller identity yet
    try:
        if "id" in ref:
            user = identity_db.get_user(system, ref["id"])
        else:
            user = identity_db.find_user(system, ref["name"], _domain_ref(ref["domain"]).id)
    except (exceptions.NotFound, KeyError):
        raise _unauthorized() from None
    if not user.enabled or not identity_db.get_domain(system, user.domain_id).enabled:
        raise _unauthorized()
    return user


def _password(data: dict[str, Any]) -> Identity:
    ref = data.get("user") or {}
    user = _user_ref(ref)
    if not identity_db.check_password(str(ref.get("password", "")), user.password_hash):
        raise _unauthorized()
    return Identity(user, ["password"])


def _token(data: dict[str, Any]) -> Identity:
    try:
        parent = validator.local().open(str(data.get("id", "")))
    except exceptions.Unauthorized:
        raise _unauthorized() from None
    if parent.app_cred_id:
        raise exceptions.Forbidden("A token made from an application credential cannot "
                                   "be rescoped.")
    user = _user_ref({"id": parent.user_id})
    return Identity(user, [*parent.methods, "token"], parent.expires_at,
                    parent.audit_ids[-1] if parent.audit_ids else None)


def _application_credential(data: dict[str, Any]) -> Identity:
    system = context.get_admin_context()  # authentication: no caller identity yet
    try:
        if "id" in data:
            credential = credentials_db.get(system, data["id"])
        else:
            credential = credentials_db.find(system, _user_ref(data["user"]).id,
                                             data["name"])
    except (exceptions.NotFound, KeyError):
        raise _unauthorized() from None
    if not identity_db.check_password(str(data.get("secret", "")), credential.secret_hash):
        raise _unauthorized()
    if credential.expires_at and credential.expires_at <= utcnow():
        raise _unauthorized("The application credential has expired.")
    user = _user_ref({"id": credential.user_id})
    return Identity(user, ["application_credential"], app_cred=credential)


_METHODS = {"password": _password, "token": _token,
            "application_credential": _application_credential}


def identify(identity: dict[str, Any]) -> Identity:
    methods = identity.get("methods") or []
    unknown = [m for m in methods if m not in _METHODS]
    if unknown or not methods:
        raise _unauthorized(f"Unsupported authentication method: {', '.join(unknown)}.")
    if len(methods) > 1:
        raise _unauthorized("Use one authentication method at a time.")
    method = methods[0]
    if not isinstance(identity.get(method), dict):
        raise exceptions.BadRequest(f"Invalid input for field 'identity/{method}': "
                                    "an object is expected.")
    return _METHODS[method](identity[method])


def _scope_target(scope: dict[str, Any] | str | None,
                  ident: Identity) -> tuple[str, str | None]:
    """(scope type, target id). ``"unscoped"`` (a string, as Horizon sends it) asks
    for an unscoped token even when the user has a default project, as in Keystone."""
    system = context.get_admin_context()  # authentication: no caller identity yet
    if isinstance(scope, str):
        if scope != "unscoped" or ident.app_cred is not None:
            raise exceptions.BadRequest(f"Invalid scope: {scope!r}; a scope is an object "
                                        "or \"unscoped\".")
        return "unscoped", None
    if ident.app_cred is not None:
        if scope and (scope.get("project") or {}).get("id") not in (
                None, ident.app_cred.project_id):
            raise _unauthorized("An application credential cannot request a scope.")
        return "project", ident.app_cred.project_id
    if not scope:
        default = ident.user.default_project_id
        if default and assignments_db.effective_roles(system, ident.user.id, "project",
                                                      default):
            return "project", default
        return "unscoped", None
    if "project" in scope:
        ref = scope["project"] or {}
        try:
            project = (identity_db.get_project(system, ref["id"]) if "id" in ref else
                       identity_db.find_project(system, ref["name"],
                                                _domain_ref(ref["domain"]).id))
        except (exceptions.NotFound, KeyError):
            raise _unauthorized() from None
        if project.is_domain or not project.enabled \
                or not identity_db.get_domain(system, project.domain_id).enabled:
            raise _unauthorized()
        return "project", project.id
    if "domain" in scope:
        return "domain", _domain_ref(scope["domain"] or {}).id
    if "system" in scope:
        return "system", "system"
    raise _unauthorized("Unsupported scope: " + ", ".join(scope))


def issue(body: dict[str, Any]) -> Token:
    """Authenticate the ``auth`` object of POST /v3/auth/tokens; the new token."""
    auth = body["auth"]
    ident = identify(auth["identity"])
    scope, target = _scope_target(auth.get("scope"), ident)
    system = context.get_admin_context()
    if scope != "unscoped" and not assignments_db.effective_roles(
            system, ident.user.id, scope, cast(str, target)):  # a scope names its target
        raise _unauthorized(f"User {ident.user.id} has no access to {scope} {target}.")
    now = time.time()
    expires_at = now + CONF.identity.token_expiration
    if ident.expires_at is not None:
        expires_at = ident.expires_at
    if ident.app_cred is not None and ident.app_cred.expires_at is not None:
        expires_at = min(expires_at, ident.app_cred.expires_at.replace(
            tzinfo=datetime.UTC).timestamp())
    audit_ids = (new_audit_id(),) + ((ident.parent_audit_id,) if ident.parent_audit_id
                                     else ())
    return Token(user_id=ident.user.id, methods=tuple(ident.methods), expires_at=expires_at,
                 issued_at=now, audit_ids=audit_ids,
                 scope=scope, scope_id=None if scope == "system" else target,
                 app_cred_id=ident.app_cred.id if ident.app_cred else None)

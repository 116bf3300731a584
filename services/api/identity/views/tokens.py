"""The body of a token, the same for POST (issue) and GET (validate) /v3/auth/tokens."""
from typing import Any, cast

from services.api.auth import lookups
from services.api.auth.tokens import Token, isotime
from services.api.identity.views.catalog import token_catalog


def _named(ident: str | None) -> dict[str, str]:
    """The id and name of a domain (a user's, a project's, a domain-scoped token's:
    always set there)."""
    domain_id = cast(str, ident)
    return {"id": domain_id, "name": lookups.project(domain_id).name}


def token(token: Token, roles: tuple[lookups.Named, ...],
          with_catalog: bool = True) -> dict[str, Any]:
    user = lookups.user(token.user_id)
    body: dict[str, Any] = {
        "methods": list(token.methods),
        "user": {"id": user.id, "name": user.name, "domain": _named(user.domain_id),
                 "password_expires_at": None},
        "audit_ids": list(token.audit_ids),
        "expires_at": isotime(token.expires_at),
        "issued_at": isotime(token.issued_at),
    }
    if token.scope == "project":
        project = lookups.project(cast(str, token.project_id))  # the scope says so
        body["project"] = {"id": project.id, "name": project.name,
                           "domain": _named(project.domain_id)}
        body["is_domain"] = False
    elif token.scope == "domain":
        body["domain"] = _named(token.domain_id)
    elif token.system:
        body["system"] = {"all": True}
    if token.scope != "unscoped":
        body["roles"] = [{"id": role.id, "name": role.name} for role in roles]
        if with_catalog:
            body["catalog"] = token_catalog(lookups.catalog())
    if token.app_cred_id:
        credential = lookups.application_credential(token.app_cred_id)
        body["application_credential"] = {
            "id": credential.id, "name": credential.name,
            "restricted": not credential.unrestricted}
    return {"token": body}

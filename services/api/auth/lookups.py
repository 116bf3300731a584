"""Cached reads behind token validation and token bodies: names, roles, the catalog.

Entries live ``[identity] cache_time`` seconds; an identity write through this process
clears them (see services.api.identity.api), other processes see it when they expire.
"""
from dataclasses import dataclass
from typing import cast

from common import context
from common.config import CONF
from common.db.api import identity as identity_db
from common.db.api import identity_assignments as assignments_db
from common.db.api import identity_catalog as catalog_db
from common.db.api import identity_credentials as credentials_db
from services.api.auth.cache import TTLCache
from services.api.auth.tokens import Token

_cache = TTLCache(lambda: CONF.identity.cache_time)


@dataclass(frozen=True)
class Named:
    id: str
    name: str
    domain_id: str | None = None


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    type: str
    name: str
    endpoints: tuple[tuple[str, str, str | None, str], ...]  # id, interface, region, url


def clear() -> None:
    _cache.clear()


def user(user_id: str) -> Named:
    def load() -> Named:
        row = identity_db.get_user(context.get_admin_context(), user_id)
        return Named(row.id, row.name, row.domain_id)
    return _cache.get_or_load(("user", user_id), load)


def project(project_id: str) -> Named:
    def load() -> Named:
        row = identity_db.get_project(context.get_admin_context(), project_id)
        return Named(row.id, row.name, None if row.is_domain else row.domain_id)
    return _cache.get_or_load(("project", project_id), load)


def roles(token: Token, fresh: bool = False) -> tuple[Named, ...]:
    """The roles a token grants, implied roles included; none when unscoped.

    ``fresh`` reads them from the database (a token being issued must not get roles a
    cache still remembers after they were taken away).
    """
    if token.scope == "unscoped":
        return ()
    return _cache.get_or_load(("roles", token.user_id, token.scope, token.scope_id,
                               token.app_cred_id), lambda: _load_roles(token), fresh)


def _load_roles(token: Token) -> tuple[Named, ...]:
    target_id = "system" if token.system else cast(str, token.scope_id)  # scoped
    system = context.get_admin_context()
    held = assignments_db.effective_roles(system, token.user_id, token.scope, target_id)
    if token.app_cred_id:
        allowed = assignments_db.imply(system, application_credential(token.app_cred_id).role_ids)
        held = [role for role in held if role.id in allowed]
    return tuple(Named(role.id, role.name) for role in held)


def catalog() -> tuple[CatalogEntry, ...]:
    def load() -> tuple[CatalogEntry, ...]:
        return tuple(
            CatalogEntry(service.id, service.type, service.name,
                         tuple((e.id, e.interface, e.region_id, e.url) for e in endpoints))
            for service, endpoints in catalog_db.catalog(context.get_admin_context()))
    return _cache.get_or_load("catalog", load)


@dataclass(frozen=True)
class AppCredential:
    id: str
    name: str
    unrestricted: bool
    role_ids: tuple[str, ...]


def application_credential(credential_id: str) -> AppCredential:
    def load() -> AppCredential:
        row = credentials_db.get(context.get_admin_context(), credential_id)
        return AppCredential(row.id, row.name, row.unrestricted, tuple(row.roles))
    return _cache.get_or_load(("app_cred", credential_id), load)

"""Bodies of domains, projects, users, groups, roles and application credentials."""
from typing import Any

from common.db.api.identity import GroupRecord, ProjectRecord, UserRecord
from common.db.api.identity_assignments import RoleRecord
from common.db.api.identity_credentials import CredentialRecord
from common.db.models.identity import ROOT
from services.api import urls


def link(*parts: str) -> dict[str, str]:
    return {"self": urls.url("identity", "v3", *parts)}


def domain(row: ProjectRecord) -> dict[str, Any]:
    return {**row.extra, "id": row.id, "name": row.name,
            "description": row.description, "enabled": row.enabled,
            "tags": list(row.tags), "options": {}, "links": link("domains", row.id)}


def project(row: ProjectRecord) -> dict[str, Any]:
    return {**row.extra, "id": row.id, "name": row.name,
            "domain_id": None if row.is_domain else row.domain_id,
            "parent_id": row.parent_id, "is_domain": row.is_domain,
            "description": row.description, "enabled": row.enabled,
            "tags": list(row.tags), "options": {}, "links": link("projects", row.id)}


def user(row: UserRecord) -> dict[str, Any]:
    body = {**row.extra, "id": row.id, "name": row.name,
            "domain_id": row.domain_id, "enabled": row.enabled,
            "password_expires_at": None, "options": {}, "links": link("users", row.id)}
    if row.default_project_id:
        body["default_project_id"] = row.default_project_id
    return body


def group(row: GroupRecord) -> dict[str, Any]:
    return {**row.extra, "id": row.id, "name": row.name,
            "domain_id": row.domain_id, "description": row.description,
            "links": link("groups", row.id)}


def role(row: RoleRecord) -> dict[str, Any]:
    return {**(row.extra or {}), "id": row.id, "name": row.name,
            "domain_id": None if row.domain_id == ROOT else row.domain_id,
            "description": row.description, "options": {}, "links": link("roles", row.id)}


def role_ref(row: RoleRecord) -> dict[str, Any]:
    """A role as a role inference shows it."""
    return {"id": row.id, "name": row.name, "links": link("roles", row.id)}


def application_credential(row: CredentialRecord,
                           roles: list[RoleRecord]) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "user_id": row.user_id,
            "project_id": row.project_id, "description": row.description,
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
            "unrestricted": row.unrestricted, "access_rules": [],
            "roles": [{"id": r.id, "name": r.name, "domain_id": None} for r in roles],
            "links": link("users", row.user_id, "application_credentials", row.id)}


def collection(key: str, items: list[dict], self_url: str,
               next_url: str | None = None) -> dict[str, Any]:
    return {key: items, "links": {"self": self_url, "previous": None, "next": next_url}}

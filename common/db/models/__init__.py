"""SQLAlchemy models, one module per domain. The schema changes only through migrations.

Importing this package imports every model module, so ``Base.metadata`` is complete.
"""
from common.db.models.base import Base
from common.db.models.identity import (
    ApplicationCredential,
    CatalogEndpoint,
    CatalogService,
    Group,
    GroupMembership,
    ImpliedRole,
    Project,
    Region,
    RevocationEvent,
    Role,
    RoleAssignment,
    User,
)
from common.db.models.services import Service

__all__ = [
    "ApplicationCredential",
    "Base",
    "CatalogEndpoint",
    "CatalogService",
    "Group",
    "GroupMembership",
    "ImpliedRole",
    "Project",
    "Region",
    "RevocationEvent",
    "Role",
    "RoleAssignment",
    "Service",
    "User",
]

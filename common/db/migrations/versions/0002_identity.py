"""identity: projects and domains, users, groups, roles, assignments, catalog, revocations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
ID = 64
NAME = 255


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", Timestamp, nullable=False),
            sa.Column("updated_at", Timestamp, nullable=True)]


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("domain_id", sa.String(ID), nullable=False),
        sa.Column("parent_id", sa.String(ID), nullable=True),
        sa.Column("is_domain", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("domain_id", "name", name="uq_projects_domain_id_name"),
    )
    op.create_index("ix_projects_domain_id", "projects", ["domain_id"])
    op.create_index("ix_projects_parent_id", "projects", ["parent_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("domain_id", sa.String(ID), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(128), nullable=True),
        sa.Column("password_changed_at", Timestamp, nullable=True),
        sa.Column("default_project_id", sa.String(ID), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("domain_id", "name", name="uq_users_domain_id_name"),
        sa.ForeignKeyConstraint(["domain_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_users_domain_id_projects"),
    )
    op.create_index("ix_users_domain_id", "users", ["domain_id"])
    op.create_table(
        "groups",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("domain_id", sa.String(ID), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_groups"),
        sa.UniqueConstraint("domain_id", "name", name="uq_groups_domain_id_name"),
        sa.ForeignKeyConstraint(["domain_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_groups_domain_id_projects"),
    )
    op.create_index("ix_groups_domain_id", "groups", ["domain_id"])
    op.create_table(
        "group_memberships",
        sa.Column("group_id", sa.String(ID), nullable=False),
        sa.Column("user_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name="pk_group_memberships"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE",
                                name="fk_group_memberships_group_id_groups"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_group_memberships_user_id_users"),
    )
    op.create_index("ix_group_memberships_user_id", "group_memberships", ["user_id"])
    op.create_table(
        "roles",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("domain_id", sa.String(ID), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint("domain_id", "name", name="uq_roles_domain_id_name"),
    )
    op.create_table(
        "implied_roles",
        sa.Column("prior_role_id", sa.String(ID), nullable=False),
        sa.Column("implied_role_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("prior_role_id", "implied_role_id", name="pk_implied_roles"),
        sa.ForeignKeyConstraint(["prior_role_id"], ["roles.id"], ondelete="CASCADE",
                                name="fk_implied_roles_prior_role_id_roles"),
        sa.ForeignKeyConstraint(["implied_role_id"], ["roles.id"], ondelete="CASCADE",
                                name="fk_implied_roles_implied_role_id_roles"),
    )
    op.create_table(
        "role_assignments",
        sa.Column("actor_type", sa.String(8), nullable=False),
        sa.Column("actor_id", sa.String(ID), nullable=False),
        sa.Column("target_type", sa.String(8), nullable=False),
        sa.Column("target_id", sa.String(ID), nullable=False),
        sa.Column("role_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("actor_type", "actor_id", "target_type", "target_id",
                                "role_id", name="pk_role_assignments"),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], ondelete="CASCADE",
                                name="fk_role_assignments_role_id_roles"),
    )
    op.create_index("ix_role_assignments_target", "role_assignments",
                    ["target_type", "target_id"])
    op.create_table(
        "application_credentials",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("user_id", sa.String(ID), nullable=False),
        sa.Column("project_id", sa.String(ID), nullable=False),
        sa.Column("secret_hash", sa.String(128), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("expires_at", Timestamp, nullable=True),
        sa.Column("unrestricted", sa.Boolean(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_application_credentials"),
        sa.UniqueConstraint("user_id", "name", name="uq_application_credentials_user_id_name"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_application_credentials_user_id_users"),
    )
    op.create_index("ix_application_credentials_user_id", "application_credentials",
                    ["user_id"])
    op.create_table(
        "regions",
        sa.Column("id", sa.String(NAME), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_region_id", sa.String(NAME), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_regions"),
    )
    op.create_table(
        "catalog_services",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("type", sa.String(NAME), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_services"),
    )
    op.create_index("ix_catalog_services_type", "catalog_services", ["type"])
    op.create_table(
        "catalog_endpoints",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("service_id", sa.String(ID), nullable=False),
        sa.Column("interface", sa.String(8), nullable=False),
        sa.Column("region_id", sa.String(NAME), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_endpoints"),
        sa.ForeignKeyConstraint(["service_id"], ["catalog_services.id"], ondelete="CASCADE",
                                name="fk_catalog_endpoints_service_id_catalog_services"),
    )
    op.create_index("ix_catalog_endpoints_service_id", "catalog_endpoints", ["service_id"])
    op.create_table(
        "revocation_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("audit_id", sa.String(32), nullable=True),
        sa.Column("user_id", sa.String(ID), nullable=True),
        sa.Column("project_id", sa.String(ID), nullable=True),
        sa.Column("domain_id", sa.String(ID), nullable=True),
        sa.Column("app_cred_id", sa.String(ID), nullable=True),
        sa.Column("issued_before", Timestamp, nullable=False),
        sa.Column("revoked_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revocation_events"),
    )
    op.create_index("ix_revocation_events_revoked_at", "revocation_events", ["revoked_at"])

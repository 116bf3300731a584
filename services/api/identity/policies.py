"""Default policy rules of the identity API (overridable in the policy file)."""
from oslo_policy import policy

ADMIN = "rule:context_is_admin"
ANY = ""  # any authenticated caller
SELF_OR_ADMIN = "rule:context_is_admin or user_id:%(target.user.id)s"
TOKEN_SUBJECT_OR_ADMIN = "rule:context_is_admin or user_id:%(target.token.user_id)s"
OWN_PROJECT_OR_ADMIN = "rule:context_is_admin or project_id:%(target.project.id)s"
OWN_DOMAIN_OR_ADMIN = ("rule:context_is_admin or domain_id:%(target.domain.id)s or "
                       "project_domain_id:%(target.domain.id)s")


def _rules(check: str, *names: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"identity:{name}", check) for name in names]


RULES = [
    *_rules(ANY, "get_auth_catalog", "get_auth_projects", "get_auth_domains",
            "list_regions", "get_region"),
    *_rules(TOKEN_SUBJECT_OR_ADMIN, "validate_token", "check_token", "revoke_token"),
    *_rules(OWN_DOMAIN_OR_ADMIN, "get_domain"),
    *_rules(OWN_PROJECT_OR_ADMIN, "get_project"),
    *_rules(SELF_OR_ADMIN, "get_user", "list_user_projects", "list_user_groups",
            "change_password", "get_application_credential",
            "list_application_credentials", "delete_application_credential"),
    # Only the user itself makes application credentials: they carry its roles.
    *_rules("user_id:%(target.user.id)s", "create_application_credential"),
    *_rules(ADMIN, "list_domains", "create_domain", "update_domain", "delete_domain",
            "list_projects", "create_project", "update_project", "delete_project",
            "list_users", "create_user", "update_user", "delete_user",
            "list_groups", "get_group", "create_group", "update_group", "delete_group",
            "list_users_in_group", "add_user_to_group", "check_user_in_group",
            "remove_user_from_group",
            "list_roles", "get_role", "create_role", "update_role", "delete_role",
            "create_implied_role", "get_implied_role", "check_implied_role",
            "delete_implied_role", "list_implied_roles", "list_role_inference_rules",
            "create_grant", "check_grant", "list_grants", "revoke_grant",
            "list_role_assignments",
            "create_region", "update_region", "delete_region",
            "list_services", "get_service", "create_service", "update_service",
            "delete_service",
            "list_endpoints", "get_endpoint", "create_endpoint", "update_endpoint",
            "delete_endpoint"),
]

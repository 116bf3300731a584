"""Default policy rules of the compute API (overridable in the policy file), with Nova's
defaults: readers read and members change their project's servers, keypairs belong
to their user, and flavors, aggregates, hypervisors, services and quota changes are
for admins. Targets carry the owning ``project_id`` (``user_id`` for keypairs)."""
from oslo_policy import policy

from common import context, exceptions
from common import policy as common_policy

ADMIN = "rule:context_is_admin"
ANY = ""
READER = "rule:admin_or_reader"
MEMBER = "rule:admin_or_member"
OWNER_USER = "rule:context_is_admin or user_id:%(user_id)s"


def _rules(check: str, *names: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"compute:{name}", check) for name in names]


RULES = [
    *_rules(ANY, "flavors:list", "flavors:show", "availability_zones:list"),
    *_rules(READER, "flavor_extra_specs:index", "flavor_extra_specs:show",
            "servers:index", "servers:show", "servers:metadata:show", "servers:tags:show",
            "servers:ips", "servers:security_groups", "servers:console_output",
            "instance_actions:list", "instance_actions:show", "server_groups:index",
            "server_groups:show", "limits:show", "quota_sets:show"),
    *_rules(MEMBER, "servers:create", "servers:update", "servers:delete",
            "servers:action", "servers:metadata:update", "servers:tags:update",
            "servers:create_image", "server_groups:create", "server_groups:delete"),
    *_rules(OWNER_USER, "keypairs:index", "keypairs:show", "keypairs:create",
            "keypairs:delete"),
    *_rules(ADMIN, "flavors:manage", "flavor_extra_specs:manage", "flavor_access:manage",
            "flavor_access:index", "servers:index:all_tenants", "servers:show:host_status",
            "servers:extended_attributes", "servers:create:forced_host",
            "servers:admin_actions", "servers:unlock_override", "servers:fault_details",
            "instance_actions:events:traceback", "instance_actions:events:host",
            "server_groups:index:all_projects",
            "availability_zones:detail", "hypervisors", "services", "aggregates",
            "quota_sets:update", "quota_sets:delete", "limits:other_project",
            "servers:migrate", "servers:migrate_live", "servers:evacuate",
            "servers:migrations:index",
            "servers:migrations:show", "servers:migrations:delete",
            "servers:migrations:force_complete", "migrations:index"),
]


def allowed(ctx: context.RequestContext, rule: str) -> bool:
    """Whether ``ctx`` passes ``rule`` (for fields only some callers see)."""
    try:
        common_policy.authorize(ctx, rule, {})
    except exceptions.Forbidden:
        return False
    return True

"""Default policy rules of the network API (overridable in the policy file).

A rule decides which roles may call an action; which resources the caller then sees or
changes (its own project's, shared and external networks, everything for admins) is the
domain functions' business, as Neutron's ownership checks are.
"""
from oslo_policy import policy

ANY = ""  # any authenticated caller
READ = "rule:admin_or_reader"
WRITE = "rule:admin_or_member"
ADMIN = "rule:context_is_admin"

RESOURCES = ("network", "subnet", "port", "router", "floatingip", "security_group",
             "security_group_rule")


def _rules(check: str, *names: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"network:{name}", check) for name in names]


RULES = [
    *_rules(READ, *(f"{action}_{kind}" for kind in RESOURCES for action in ("get", "list"))),
    *_rules(WRITE, *(f"{action}_{kind}" for kind in RESOURCES
                     for action in ("create", "update", "delete"))),
    *_rules(WRITE, "add_router_interface", "remove_router_interface", "update_tags"),
    *_rules(READ, "get_tags"),
    *_rules(ANY, "list_extensions", "get_extension"),
    # A project's own quota is readable by its members; changing any is for admins.
    *_rules(READ, "get_quota"),
    *_rules(ADMIN, "list_quotas", "update_quota", "delete_quota"),
]

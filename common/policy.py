"""Authorization: oslo.policy rules with defaults in code, overridable by a policy file.

Each API registers its rules (services/api/<api>/policies.py); handlers call
``authorize(ctx, "<api>:<action>", target)``. The base rules below give the three
personas: admin (anything, any project), member (read and write in the project of the
token), reader (read only in that project). Tokens carry implied roles, so an admin
is also member and reader.

``[oslo_policy] policy_file`` (oslo.policy's own option) points to overrides.
"""
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from oslo_policy import policy

from common import context, exceptions
from common.config import CONF

ADMIN = "role:admin"
PROJECT_READER = "role:reader and project_id:%(project_id)s"
PROJECT_MEMBER = "role:member and project_id:%(project_id)s"

BASE_RULES = [
    policy.RuleDefault("context_is_admin", ADMIN,
                       description="Administrators: every project, every action."),
    policy.RuleDefault("project_reader", PROJECT_READER,
                       description="Readers of the project the target belongs to."),
    policy.RuleDefault("project_member", PROJECT_MEMBER,
                       description="Members of the project the target belongs to."),
    policy.RuleDefault("admin_or_reader", "rule:context_is_admin or rule:project_reader",
                       description="Read access to a project's resources."),
    policy.RuleDefault("admin_or_member", "rule:context_is_admin or rule:project_member",
                       description="Write access to a project's resources."),
    policy.RuleDefault("resource_owner", "rule:context_is_admin or project_id:%(project_id)s",
                       description="Changing a resource one may see but not own (another "
                                   "project's shared network or its subnets)."),
]

_lock = threading.Lock()
_rules: dict[str, policy.RuleDefault] = {rule.name: rule for rule in BASE_RULES}
_enforcer: policy.Enforcer | None = None


def register_rules(rules: Iterable[policy.RuleDefault]) -> None:
    """Add default rules (an API's policies.py); the enforcer is rebuilt on next use."""
    global _enforcer
    with _lock:
        for rule in rules:
            _rules[rule.name] = rule
        _enforcer = None


def list_rules() -> list[policy.RuleDefault]:
    return list(_rules.values())


def get_enforcer() -> policy.Enforcer:
    global _enforcer
    with _lock:
        if _enforcer is None:
            enforcer = policy.Enforcer(CONF)
            enforcer.register_defaults(list(_rules.values()))
            enforcer.load_rules()
            _enforcer = enforcer
        return _enforcer


def reset() -> None:
    """Forget the enforcer (between tests, or to reread the policy file)."""
    global _enforcer
    with _lock:
        _enforcer = None


def authorize(ctx: context.RequestContext, rule: str,
              target: Mapping[str, Any] | None = None) -> None:
    """Raise Forbidden unless ``ctx`` may do ``rule`` on ``target``.

    The target defaults to the caller's own project, so project-scoped rules pass for
    resources of the caller's project.
    """
    target = dict(target) if target is not None else {"project_id": ctx.project_id}
    try:
        allowed = get_enforcer().enforce(rule, target, ctx)
    except policy.PolicyNotRegistered:
        raise exceptions.Forbidden(f"Policy rule {rule} is not registered.") from None
    if not allowed:
        raise exceptions.Forbidden(f"Policy doesn't allow {rule} to be performed.")


def authorize_owner(ctx: context.RequestContext, project_id: str) -> None:
    """Raise Forbidden unless the caller's project owns the resource (or an admin asks):
    the domain's check after it found a resource the caller may see."""
    authorize(ctx, "resource_owner", {"project_id": project_id})


def owner_project(ctx: context.RequestContext, requested: str | None) -> str | None:
    """The project a new resource belongs to: the caller's own, or, for an admin only,
    the one the body names (Tempest's admin creates networks for test projects)."""
    if not requested or requested == ctx.project_id:
        return ctx.project_id
    authorize(ctx, "context_is_admin")
    return requested

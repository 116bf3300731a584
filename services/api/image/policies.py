"""Default policy rules of the image API (overridable in the policy file).

Reads need a reader role (visibility then decides what is found); changes to an image,
(de)activating included, need a member of its owning project, or an admin. Making an
image public and giving it another owner are admin-only, as in Glance.
"""
from oslo_policy import policy

ADMIN = "rule:context_is_admin"
READER = "rule:context_is_admin or role:reader"
OWNER = "rule:admin_or_member"  # target: {"project_id": the image's owner}


def _rules(check: str, *names: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"image:{name}", check) for name in names]


RULES = [
    *_rules(READER, "get_image", "get_images", "download_image"),
    *_rules("rule:context_is_admin or role:member", "add_image"),
    *_rules(OWNER, "modify_image", "delete_image", "upload_image", "deactivate",
            "reactivate"),
    *_rules(ADMIN, "publicize_image", "set_image_owner"),
]

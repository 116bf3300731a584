"""Default policy rules of the DNS API (overridable in the policy file).

As Designate's legacy defaults: members write their project's zones, recordsets and
zone shares, readers read them; TLDs, pools, quotas of other projects, internal names and the
x-auth-all-projects / x-auth-sudo-project-id / x-designate-edit-managed-records headers
are the admin's.
"""
from oslo_policy import policy

ADMIN = "rule:context_is_admin"
READER = "rule:admin_or_reader"
MEMBER = "rule:admin_or_member"


def _rules(check: str, *names: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"dns:{name}", check) for name in names]


RULES = [
    *_rules(READER, "get_zone", "list_zones", "get_zone_nameservers", "get_recordset",
            "list_recordsets", "get_quotas", "get_ptr", "list_ptrs", "get_zone_share",
            "list_zone_shares", "get_zone_import", "list_zone_imports"),
    *_rules(MEMBER, "create_zone", "update_zone", "delete_zone", "create_recordset",
            "update_recordset", "delete_recordset", "set_ptr", "share_zone",
            "unshare_zone", "create_zone_import", "delete_zone_import"),
    *_rules(ADMIN, "all_projects", "sudo", "edit_managed_records",
            "create_tld", "get_tld", "list_tlds", "update_tld", "delete_tld",
            "get_pool", "list_pools", "set_quotas", "reset_quotas",
            "create_internal_name", "get_internal_name", "list_internal_names",
            "update_internal_name", "delete_internal_name", "list_service_statuses"),
]

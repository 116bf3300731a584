"""/v2.0/security-groups and /v2.0/security-group-rules (JSON keys with underscores)."""
from common.db.api import network_security_groups as sgs_db
from services.api.network import schemas
from services.api.network.resources import Kind

GROUPS = Kind("security_group", "security_groups",
              schemas.SECURITY_GROUP, get=sgs_db.get_security_group,
              list=sgs_db.list_security_groups, create=sgs_db.create_security_group,
              update=sgs_db.update_security_group, delete=sgs_db.delete_security_group)
# Rules cannot change: a PUT is a 405, as in Neutron.
RULES = Kind("security_group_rule", "security_group_rules",
             schemas.SECURITY_GROUP_RULE,
             get=sgs_db.get_security_group_rule, list=sgs_db.list_security_group_rules,
             create=sgs_db.create_security_group_rule,
             delete=sgs_db.delete_security_group_rule,
             create_many=sgs_db.create_security_group_rules)

"""GET /limits: the project's absolute limits and usage (no rate limits), with the
fields of each microversion (network ones gone at 2.36, maxImageMeta at 2.39,
personality at 2.57)."""
import falcon

from common import context, policy
from common.db.api import compute_instances, compute_server_groups
from services.api import handlers
from services.api.compute import microversion
from services.api.compute.microversion import Version
from services.compute import quotas

# Nova's deprecated nova-network limits, shown (not enforced) before 2.36.
NETWORK_DEFAULTS = {"floating_ips": 10, "fixed_ips": -1, "security_groups": 10,
                    "security_group_rules": 20}


def absolute(ctx: context.RequestContext, project_id: str,
             version: Version) -> dict[str, int]:
    limit = quotas.limits(ctx, project_id)
    used = compute_instances.usage(ctx, project_id)
    body = {"maxServerMeta": limit["metadata_items"],
            "maxTotalInstances": limit["instances"], "maxTotalCores": limit["cores"],
            "maxTotalRAMSize": limit["ram"], "maxTotalKeypairs": limit["key_pairs"],
            "maxServerGroups": limit["server_groups"],
            "maxServerGroupMembers": limit["server_group_members"],
            "totalInstancesUsed": used["instances"], "totalCoresUsed": used["cores"],
            "totalRAMUsed": used["ram"],
            "totalServerGroupsUsed": compute_server_groups.count(ctx, project_id)}
    if version < (2, 36):
        body.update(maxSecurityGroups=NETWORK_DEFAULTS["security_groups"],
                    maxSecurityGroupRules=NETWORK_DEFAULTS["security_group_rules"],
                    maxTotalFloatingIps=NETWORK_DEFAULTS["floating_ips"],
                    totalFloatingIpsUsed=0, totalSecurityGroupsUsed=0)
    if version < (2, 39):
        body["maxImageMeta"] = limit["metadata_items"]
    if version < (2, 57):
        body.update(maxPersonality=limit["injected_files"],
                    maxPersonalitySize=limit["injected_file_content_bytes"])
    return body


class Limits:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:limits:show")
        project_id = handlers.query(req, "tenant_id") or ctx.scoped_project_id
        if project_id != ctx.project_id:
            policy.authorize(ctx, "compute:limits:other_project", {})
        resp.media = {"limits": {"rate": [], "absolute": absolute(
            ctx, project_id, microversion.version(req))}}

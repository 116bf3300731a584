"""/v2.0/extensions: the Neutron API extensions Strato implements, and only those.

Clients switch behaviour on what is listed (openstacksdk uses
``update_external_gateways`` when ``external-gateway-multihoming`` is there), so an
alias belongs here only once the API really serves it.
"""
import falcon

from common import exceptions, policy
from services.api import handlers

UPDATED = "2024-01-01T00:00:00-00:00"

# alias -> (name, description)
IMPLEMENTED = {
    "allowed-address-pairs": ("Allowed Address Pairs",
                              "Provides allowed address pairs"),
    "binding": ("Port Binding", "Expose port bindings of a virtual port to external "
                "application"),
    "dns-integration": ("DNS Integration", "Provides integration with DNS."),
    "external-net": ("Neutron external network", "Adds external network attribute to "
                     "network resource."),
    "ext-gw-mode": ("Neutron L3 Configurable external gateway mode", "Extension of the "
                    "router abstraction for specifying whether SNAT should occur on the "
                    "external gateway"),
    "extraroute": ("Neutron Extra Route", "Extra routes configuration for L3 router"),
    "ip-substring-filtering": ("IP address substring filtering", "Provides IP address "
                               "substring filtering when listing ports"),
    "net-mtu": ("Network MTU", "Provides MTU attribute for a network resource."),
    "net-mtu-writable": ("Network MTU (writable)", "Provides a writable MTU attribute "
                         "for a network resource."),
    "pagination": ("Pagination support", "Extension that indicates that pagination is "
                   "enabled."),
    "port-security": ("Port Security", "Provides port security"),
    "project-id": ("project_id field enabled", "Extension that indicates that "
                   "project_id field is enabled."),
    "provider": ("Provider Network", "Expose mapping of virtual networks to physical "
                 "networks"),
    "quota_details": ("Quota details management support", "Expose functions for quotas "
                      "usage statistics per project"),
    "quotas": ("Quota management support", "Expose functions for quotas management per "
               "project"),
    "router": ("Neutron L3 Router", "Router abstraction for basic L3 forwarding between "
               "L2 Neutron networks and access to external networks via a NAT gateway."),
    "security-group": ("security-group", "The security groups extension."),
    "sorting": ("Sorting support", "Extension that indicates that sorting is enabled."),
    "standard-attr-description": ("standard-attr-description", "Extension to add "
                                  "descriptions to standard attributes"),
    "standard-attr-revisions": ("Resource revision numbers", "This extension will "
                                "display the revision number of neutron resources."),
    "standard-attr-tag": ("Tag support for resources with standard attribute: subnet, "
                          "trunk, network_segment_range, router, network, policy, "
                          "subnetpool, port, security_group, floatingip",
                          "Enables to set tag on resources with standard attribute."),
    "standard-attr-timestamp": ("Resource timestamps", "Adds created_at and updated_at "
                                "fields to all Neutron resources that have Neutron "
                                "standard attributes."),
    "stateful-security-group": ("Stateful security group", "Indicates if the security "
                                "group is stateful or not"),
    "subnet-external-network": ("Subnet External Network", "Informs if the subnet is "
                                "associated to an external network."),
    "tag": ("Tag support", "Enables to set tag on resources."),
}


def view(alias: str) -> dict:
    name, description = IMPLEMENTED[alias]
    return {"alias": alias, "name": name, "description": description,
            "updated": UPDATED, "links": []}


class Extensions:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "network:list_extensions")
        resp.media = {"extensions": [view(alias) for alias in sorted(IMPLEMENTED)]}


class Extension:
    def on_get(self, req: falcon.Request, resp: falcon.Response, alias: str) -> None:
        policy.authorize(handlers.ctx(req), "network:get_extension")
        if alias not in IMPLEMENTED:
            raise exceptions.NotFound(f"Extension with alias {alias} does not exist")
        resp.media = {"extension": view(alias)}

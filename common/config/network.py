"""[network]: networking defaults of the control plane (IPAM, MTU, quotas) and the network
agent with its OVN northbound connection."""
from oslo_config import cfg

GROUP = "network"

OPTS = [
    cfg.StrOpt("ovn_nb_connection", default="tcp:127.0.0.1:6641",
               help="OVSDB remote of the OVN northbound database."),
    cfg.FloatOpt("ovn_nb_timeout", default=60.0, min=1,
                 help="Seconds the network agent waits for the northbound database to "
                      "answer a connection attempt or a transaction."),
    cfg.FloatOpt("reconcile_interval", default=60.0, min=1,
                 help="Seconds between two full reconciliations of OVN with the desired "
                      "state."),
    cfg.HostAddressOpt("metrics_host", default="127.0.0.1",
                       help="Address the network agent serves its Prometheus metrics on "
                            "(strato_network_reconcile_repairs_total)."),
    cfg.PortOpt("metrics_port", default=0,
                help="Port of the network agent's Prometheus metrics; 0 serves none."),
    cfg.ListOpt("gateway_chassis", default=[],
                help="OVN chassis names (the system-id of ovn-controller hosts) that may "
                     "host router gateway ports, most preferred first. Routers get no "
                     "external connectivity (SNAT, floating IPs) while this is empty."),
    cfg.IntOpt("global_physnet_mtu", default=1500, min=68,
               help="MTU of the underlying physical network. Geneve networks (the type of "
                    "networks created without provider attributes) get this minus the "
                    "58 bytes of Geneve encapsulation."),
    cfg.StrOpt("base_mac", default="fa:16:3e:00:00:00",
               help="Base of generated port MAC addresses: the first three octets are kept, "
                    "the others are random."),
    cfg.StrOpt("dns_domain", default="openstacklocal",
               help="Domain of ports' fqdn and of the DHCP domain name option when the "
                    "network has no dns_domain."),
    cfg.ListOpt("dns_servers", default=[],
                help="DNS servers handed out by DHCP on subnets without dns_nameservers."),
    cfg.IntOpt("dhcp_lease_duration", default=43200, min=60,
               help="DHCP lease time in seconds."),
    cfg.IntOpt("max_dns_nameservers", default=5, min=0,
               help="Most DNS name servers a subnet may have."),
    cfg.IntOpt("max_subnet_host_routes", default=20, min=0,
               help="Most host routes a subnet may have."),
    cfg.IntOpt("max_allowed_address_pair", default=10, min=0,
               help="Most allowed address pairs a port may have."),
    cfg.IntOpt("max_routes", default=30, min=0,
               help="Most static routes a router may have."),
    cfg.IntOpt("quota_network", default=100, min=-1,
               help="Networks per project (-1: unlimited) unless the project's quota "
                    "says otherwise."),
    cfg.IntOpt("quota_subnet", default=100, min=-1, help="Subnets per project."),
    cfg.IntOpt("quota_port", default=500, min=-1, help="Ports per project."),
    cfg.IntOpt("quota_router", default=10, min=-1, help="Routers per project."),
    cfg.IntOpt("quota_floatingip", default=50, min=-1, help="Floating IPs per project."),
    cfg.IntOpt("quota_security_group", default=10, min=-1,
               help="Security groups per project."),
    cfg.IntOpt("quota_security_group_rule", default=100, min=-1,
               help="Security group rules per project."),
]

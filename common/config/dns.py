"""[dns]: zone defaults and quotas, the DNS agent and its backends."""
from oslo_config import cfg

GROUP = "dns"

_ZONE_DEFAULTS = [
    cfg.ListOpt("nameservers", default=["ns1.strato.local."],
                help="FQDNs of the nameservers of every primary zone: the NS recordset "
                     "at each zone apex, and the first one is the SOA MNAME."),
    cfg.StrOpt("pool_id", default="794ccc2c-d751-44fe-b57f-8894c9f5c842",
               help="pool_id shown on zones (Strato has one pool: its dns agent's "
                    "backends)."),
    cfg.IntOpt("default_ttl", default=3600, min=1, max=2147483647,
               help="TTL of a zone created without one."),
    cfg.IntOpt("min_ttl", default=0, min=0, max=2147483647,
               help="Smallest TTL a zone or recordset may ask for (0, as in Designate: "
                    "no minimum)."),
    cfg.IntOpt("soa_refresh", default=3600, min=0, help="SOA REFRESH of new zones."),
    cfg.IntOpt("soa_retry", default=600, min=0, help="SOA RETRY of new zones."),
    cfg.IntOpt("soa_expire", default=86400, min=0, help="SOA EXPIRE of new zones."),
    cfg.IntOpt("soa_minimum", default=3600, min=0,
               help="SOA MINIMUM (negative caching TTL) of new zones."),
]

_QUOTAS = [
    cfg.IntOpt("quota_zones", default=10, min=-1,
               help="Zones per project (-1: unlimited)."),
    cfg.IntOpt("quota_zone_recordsets", default=500, min=-1,
               help="Recordsets per zone (-1: unlimited)."),
    cfg.IntOpt("quota_zone_records", default=500, min=-1,
               help="Records per zone (-1: unlimited)."),
    cfg.IntOpt("quota_recordset_records", default=20, min=-1,
               help="Records per recordset (-1: unlimited)."),
    cfg.IntOpt("quota_api_export_size", default=1000, min=-1,
               help="Recordsets a zone export may hold (-1: unlimited)."),
]

_AGENT = [
    cfg.ListOpt("backends", default=["builtin"],
                item_type=cfg.types.String(choices=["builtin", "bind9", "ovn"]),
                help="Backends the dns agent keeps in step with the database: 'builtin' "
                     "(the authoritative server below), 'bind9' (RFC 2136 updates with "
                     "TSIG), 'ovn' (the OVN northbound DNS table of tenant networks). "
                     "A zone is ACTIVE once every listed backend has it."),
    cfg.FloatOpt("reconcile_interval", default=60.0, min=1,
                 help="Seconds between two full reconciliations of the backends."),
    cfg.FloatOpt("active_delay", default=1.0, min=0,
                 help="Seconds between every backend having a change and the zone and "
                      "its recordsets turning ACTIVE, like Designate's poll delay. The "
                      "change is served at once; clients that compare a create's "
                      "response with an immediate read (designate-tempest-plugin) "
                      "expect it still PENDING."),
]

_BUILTIN = [
    cfg.HostAddressOpt("listen_address", default="127.0.0.1",
                       help="Address of the built-in authoritative DNS server."),
    cfg.PortOpt("listen_port", default=5354,
                help="UDP and TCP port of the built-in authoritative DNS server."),
    cfg.StrOpt("zone_dir", default="$state_path/dns/zones",
               help="Where the built-in server keeps its zones (one master file per "
                    "zone, one '.forward' file per forward zone). It rereads a file "
                    "that changed on disk."),
    cfg.ListOpt("transfer_acl", default=["127.0.0.0/8", "::1/128"],
                help="Networks allowed to AXFR zones from the built-in server."),
    cfg.FloatOpt("forward_timeout", default=2.0, min=0.1,
                 help="Seconds the built-in server waits for each resolver of a forward "
                      "zone before trying the next."),
]

_BIND9 = [
    cfg.HostAddressOpt("bind9_host", default="127.0.0.1",
                       help="Address where BIND answers RFC 2136 updates and AXFR."),
    cfg.PortOpt("bind9_port", default=53, help="DNS port of BIND."),
    cfg.StrOpt("bind9_tsig_key_name", default="strato",
               help="Name of the TSIG key allowed to update and transfer Strato's zones."),
    cfg.StrOpt("bind9_tsig_secret", secret=True, default="",
               help="Base64 secret of that TSIG key."),
    cfg.StrOpt("bind9_tsig_algorithm", default="hmac-sha256",
               help="Algorithm of that TSIG key."),
    cfg.StrOpt("bind9_rndc_config", default="/etc/bind/rndc.conf",
               help="rndc.conf (server, port, key) through which the agent adds and "
                    "deletes zones ('rndc addzone' needs 'allow-new-zones yes;')."),
    cfg.StrOpt("bind9_zone_dir", default="/var/cache/bind/strato",
               help="Directory, readable by named and writable by the agent, where the "
                    "agent writes the first master file of each zone it adds. BIND "
                    "then owns the file (journal, dynamic updates)."),
]

OPTS = [*_ZONE_DEFAULTS, *_QUOTAS, *_AGENT, *_BUILTIN, *_BIND9]

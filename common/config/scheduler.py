"""[scheduler]: placement of instances on compute hosts: filters, weighers, claims."""
from oslo_config import cfg

GROUP = "scheduler"

OPTS = [
    cfg.IntOpt("max_attempts", default=3, min=1,
               help="Hosts tried for one instance (the chosen one plus alternates) "
                    "before its build goes to ERROR."),
    cfg.ListOpt("enabled_filters",
                default=["ComputeFilter", "AvailabilityZoneFilter",
                         "AggregateInstanceExtraSpecsFilter", "ImagePropertiesFilter",
                         "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter",
                         "SameHostFilter", "DifferentHostFilter"],
                help="Host filters run in this order after the resource check "
                     "(free VCPU, MEMORY_MB, DISK_GB under the allocation ratios), "
                     "which always runs first."),
    cfg.ListOpt("enabled_weighers",
                default=["RAMWeigher", "CPUWeigher", "DiskWeigher",
                         "ServerGroupSoftAffinityWeigher",
                         "ServerGroupSoftAntiAffinityWeigher"],
                help="Host weighers; each weight is normalized to 0..1 over the "
                     "candidate hosts, then multiplied by its multiplier."),
    cfg.FloatOpt("ram_weight_multiplier", default=1.0,
                 help="Positive spreads instances over hosts by free RAM; negative "
                      "stacks them."),
    cfg.FloatOpt("cpu_weight_multiplier", default=1.0,
                 help="Positive spreads instances over hosts by free VCPUs; negative "
                      "stacks them."),
    cfg.FloatOpt("disk_weight_multiplier", default=1.0,
                 help="Positive spreads instances over hosts by free disk; negative "
                      "stacks them."),
    cfg.FloatOpt("soft_affinity_weight_multiplier", default=1.0, min=0,
                 help="Weight of a soft-affinity group's members already on a host."),
    cfg.FloatOpt("soft_anti_affinity_weight_multiplier", default=1.0, min=0,
                 help="Weight against a host for each soft-anti-affinity group member "
                      "already on it."),
    cfg.IntOpt("host_subset_size", default=1, min=1,
               help="Pick at random among this many best-weighed hosts: more than 1 "
                    "lowers claim conflicts between several schedulers."),
    cfg.FloatOpt("host_metadata_refresh_interval", default=10.0, min=0,
                 help="Seconds between two full refreshes of a scheduler's host view: "
                      "services (up, disabled), aggregates (availability zones, "
                      "metadata) and every provider's generation. In between, each "
                      "request reloads only the providers changed since the last one "
                      "(by updated_at). At most half of service_down_time is used. The "
                      "api casts sync_host_metadata to force a full refresh when it "
                      "changes a service or an aggregate."),
    cfg.IntOpt("claim_retries", default=16, min=1,
               help="Attempts of one claim (or inventory update) when other writers "
                    "changed the same host at the same time (generation conflict), "
                    "with a jittered backoff between attempts."),
]

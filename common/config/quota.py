"""[quota]: default compute quotas of a project (os-quota-sets overrides them per
project); -1 is unlimited."""
from oslo_config import cfg

GROUP = "quota"

OPTS = [
    cfg.IntOpt("instances", default=10, min=-1, help="Servers per project."),
    cfg.IntOpt("cores", default=20, min=-1, help="Virtual CPUs of all servers of a project."),
    cfg.IntOpt("ram", default=51200, min=-1, help="MB of RAM of all servers of a project."),
    cfg.IntOpt("metadata_items", default=128, min=-1,
               help="Metadata items per server."),
    cfg.IntOpt("key_pairs", default=100, min=-1, help="Keypairs per user."),
    cfg.IntOpt("server_groups", default=10, min=-1, help="Server groups per project."),
    cfg.IntOpt("server_group_members", default=10, min=-1,
               help="Servers per server group."),
    cfg.IntOpt("injected_files", default=5, min=-1,
               help="Personality files per server (shown to microversions < 2.57)."),
    cfg.IntOpt("injected_file_content_bytes", default=10240, min=-1,
               help="Bytes per personality file (shown to microversions < 2.57)."),
    cfg.IntOpt("injected_file_path_length", default=255, min=-1,
               help="Path length of a personality file (shown to microversions < 2.57)."),
]

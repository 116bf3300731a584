"""[identity]: tokens, password hashing and the optional external Keystone."""
from oslo_config import cfg

GROUP = "identity"

OPTS = [
    cfg.IntOpt("token_expiration", default=3600, min=300,
               help="Token lifetime in seconds."),
    cfg.StrOpt("key_repository", default="$state_path/fernet-keys",
               help="Directory of the Fernet keys (0 staged, highest primary)."),
    cfg.IntOpt("max_active_keys", default=3, min=3,
               help="Keys kept by 'strato-manage fernet rotate': staged + primary + "
                    "secondaries."),
    cfg.IntOpt("bcrypt_rounds", default=12, min=4, max=31,
               help="bcrypt cost for stored passwords."),
    cfg.StrOpt("region", default="RegionOne", help="Region of the catalog endpoints."),
    cfg.StrOpt("external_keystone_url", default=None,
               help="When set, tokens are validated against this Keystone "
                    "(e.g. http://keystone:5000/v3) and the built-in identity is off."),
    cfg.IntOpt("revocation_cache_time", default=5, min=0,
               help="Seconds a process trusts its cached list of revoked tokens before "
                    "reading it from the database again. A revocation made on this host "
                    "is seen at once (the api touches a stamp file in key_repository)."),
    cfg.IntOpt("cache_time", default=30, min=0,
               help="Seconds role names, project/user names and the catalog stay in "
                    "each api process's cache for token validation. Changes made "
                    "through the same process clear it at once."),
    cfg.ListOpt("prohibited_implied_roles", default=["admin"],
                help="Roles no other role may imply."),
    cfg.StrOpt("service_username", default=None,
               help="External Keystone mode: user the api authenticates as to validate "
                    "tokens."),
    cfg.StrOpt("service_password", default=None, secret=True,
               help="External Keystone mode: password of service_username."),
    cfg.StrOpt("service_project_name", default="service",
               help="External Keystone mode: project of the service user's token."),
    cfg.StrOpt("service_user_domain_name", default="Default",
               help="External Keystone mode: domain of service_username."),
    cfg.StrOpt("service_project_domain_name", default="Default",
               help="External Keystone mode: domain of service_project_name."),
    cfg.IntOpt("external_cache_time", default=60, min=0,
               help="External Keystone mode: seconds a validated token is trusted "
                    "before it is validated again."),
    cfg.FloatOpt("external_timeout", default=10.0, min=0.1,
                 help="External Keystone mode: HTTP timeout in seconds."),
]

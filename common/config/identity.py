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
]

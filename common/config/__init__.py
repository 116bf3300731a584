"""Configuration: every option lives in one module per group and is registered here."""
from collections.abc import Sequence

from oslo_config import cfg
from oslo_log import log

from common import version
from common.config import opts

CONF = cfg.CONF


def register_all(conf: cfg.ConfigOpts = CONF) -> None:
    """Register every Strato option group on ``conf`` (safe to call twice)."""
    for group, options in opts.list_opts():
        conf.register_opts(options, group=None if group == "DEFAULT" else group)


def parse_args(argv: Sequence[str], conf: cfg.ConfigOpts = CONF,
               default_config_files: list[str] | None = None) -> cfg.ConfigOpts:
    """Register options, logging options, then read the command line and config files."""
    register_all(conf)
    log.register_options(conf)
    conf(list(argv), project="strato", version=version.version_string(),
         default_config_files=default_config_files)
    return conf

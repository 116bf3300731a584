"""The list of option groups, used by registration and by oslo-config-generator."""
from oslo_config import cfg

from common.config import (
    api,
    compute,
    conductor,
    database,
    default,
    dns,
    drs,
    ha,
    identity,
    image,
    libvirt,
    network,
    quota,
    scheduler,
)

_MODULES = (default, database, api, identity, scheduler, conductor, compute, libvirt,
            network, dns, image, quota, ha, drs)


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    return [(module.GROUP, list(module.OPTS)) for module in _MODULES]

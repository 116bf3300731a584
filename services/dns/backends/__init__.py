"""DNS backends behind one interface (base.Backend), chosen by [dns] backends."""
from common.config import CONF
from services.dns.backends.base import Backend


def load(names: list[str] | None = None) -> list[Backend]:
    """Instances of the backends named in ``names`` (default: [dns] backends), in order.

    Imported on demand: a deployment without OVN never imports ovsdbapp.
    """
    backends: list[Backend] = []
    for name in CONF.dns.backends if names is None else names:
        if name == "builtin":
            from services.dns.backends import builtin
            backends.append(builtin.BuiltinBackend())
        elif name == "bind9":
            from services.dns.backends import bind9
            backends.append(bind9.Bind9Backend())
        elif name == "ovn":
            from services.dns.backends import ovn
            backends.append(ovn.OvnBackend())
        else:
            raise ValueError(f"unknown DNS backend {name!r}")
    return backends

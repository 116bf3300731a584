"""Which servers are highly available, and in which order a dead host's restart.

A server is highly available when its flavor has the extra spec ``ha:enabled=true``,
its image the property ``hw_ha=true`` or its metadata ``ha=true``; ``ha:priority``
(metadata first, then the flavor's extra spec; an integer, default 0) orders the
restarts, highest first, then the oldest server first.
"""
from common.db.api.compute_instances import InstanceRecord

_TRUE = ("true", "1", "yes", "on")


def is_highly_available(instance: InstanceRecord) -> bool:
    extra_specs = (instance.flavor or {}).get("extra_specs") or {}
    properties = (instance.image_meta or {}).get("properties") or {}
    return any(str(value).lower() in _TRUE for value in (
        extra_specs.get("ha:enabled"), properties.get("hw_ha"),
        (instance.metadata or {}).get("ha")))


def priority(instance: InstanceRecord) -> int:
    extra_specs = (instance.flavor or {}).get("extra_specs") or {}
    value = (instance.metadata or {}).get("ha:priority", extra_specs.get("ha:priority", 0))
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def restart_order(instances: list[InstanceRecord]) -> list[InstanceRecord]:
    """The highly available ones among ``instances``, in the order to restart them."""
    return sorted((i for i in instances if is_highly_available(i)),
                  key=lambda i: (-priority(i), i.created_at or 0, i.uuid))

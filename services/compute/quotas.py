"""Compute quota checks with Nova's messages (403): instances/cores/ram on create and
resize, metadata items, keypairs, server groups and their members.

Limits are the project's stored ones over ``[quota]`` defaults; -1 is unlimited.
"""
from collections.abc import Callable, Mapping

from common import context, exceptions
from common.config import CONF
from common.db.api import (
    compute_instances,
    compute_keypairs,
    compute_quotas,
    compute_server_groups,
)

RESOURCES = ("instances", "cores", "ram", "metadata_items", "key_pairs", "server_groups",
             "server_group_members", "injected_files", "injected_file_content_bytes",
             "injected_file_path_length")


def defaults() -> dict[str, int]:
    return {name: getattr(CONF.quota, name) for name in RESOURCES}


def limits(ctxt: context.RequestContext, project_id: str) -> dict[str, int]:
    return compute_quotas.get_limits(ctxt, project_id, defaults())


def _exceeds(limit: int, used: int, wanted: int) -> bool:
    return limit >= 0 and used + wanted > limit


class InstanceQuota:
    """The project's instances/cores/ram limits for new servers of one flavor, read
    once per request: ``allowed`` is the first count, ``recheck`` the exact one."""

    def __init__(self, ctxt: context.RequestContext, project_id: str,
                 flavor: Mapping) -> None:
        self.ctxt = ctxt
        self.project_id = project_id
        self.limit = limits(ctxt, project_id)
        self.per_server = {"instances": 1, "cores": int(flavor["vcpus"]),
                           "ram": int(flavor["memory_mb"])}

    def _over(self, used: Mapping[str, int], count: int) -> list[str]:
        return [name for name, amount in self.per_server.items()
                if _exceeds(self.limit[name], used[name], amount * count)]

    def _refused(self, used: Mapping[str, int], overs: list[str],
                 count: int) -> exceptions.Forbidden:
        name = overs[0]
        return exceptions.Forbidden(
            f"Quota exceeded for {', '.join(overs)}: Requested "
            f"{self.per_server[name] * count}, but already used {used[name]} of "
            f"{self.limit[name]} {name}")

    def allowed(self, min_count: int, max_count: int) -> int:
        """How many of max_count new servers fit; 403 when not even min_count do."""
        used = compute_instances.usage(self.ctxt, self.project_id)
        for count in range(max_count, min_count - 1, -1):
            if not self._over(used, count):
                return count
        raise self._refused(used, self._over(used, min_count), min_count)

    def recheck(self, count: int) -> Callable[[dict[str, int]], None]:
        """The check ``compute_instances.create_all`` runs on the usage it counts under
        the project's quota lock: 403 if ``count`` more servers no longer fit (a
        concurrent create took the room since ``allowed``)."""
        def check(used: dict[str, int]) -> None:
            overs = self._over(used, count)
            if overs:
                raise self._refused(used, overs, count)

        return check


def check_resize(ctxt: context.RequestContext, project_id: str, old: Mapping,
                 new: Mapping) -> None:
    """A resize may not take the project over its cores or ram quota."""
    limit, used = limits(ctxt, project_id), compute_instances.usage(ctxt, project_id)
    for name, key in (("cores", "vcpus"), ("ram", "memory_mb")):
        delta = int(new[key]) - int(old[key])
        if delta > 0 and _exceeds(limit[name], used[name], delta):
            raise exceptions.Forbidden(
                f"Quota exceeded for {name}: Requested {delta}, but already used "
                f"{used[name]} of {limit[name]} {name}")


def check_metadata(ctxt: context.RequestContext, project_id: str, count: int) -> None:
    allowed = limits(ctxt, project_id)["metadata_items"]
    if _exceeds(allowed, 0, count):
        raise exceptions.Forbidden(f"Quota exceeded for metadata_items: Requested "
                                   f"{count}, but already used 0 of {allowed} "
                                   "metadata_items")


def check_keypairs(ctxt: context.RequestContext, user_id: str) -> None:
    """One more keypair for ``user_id`` within the caller's project's limit."""
    allowed = limits(ctxt, ctxt.project_id or "")["key_pairs"]
    if _exceeds(allowed, compute_keypairs.count(ctxt, user_id), 1):
        raise exceptions.Forbidden("Quota exceeded, too many key pairs.")


def check_server_groups(ctxt: context.RequestContext) -> None:
    project_id = ctxt.scoped_project_id
    if _exceeds(limits(ctxt, project_id)["server_groups"],
                compute_server_groups.count(ctxt, project_id), 1):
        raise exceptions.Forbidden("Quota exceeded, too many server groups.")


def check_group_members(ctxt: context.RequestContext, project_id: str, members: int,
                        adding: int) -> None:
    if _exceeds(limits(ctxt, project_id)["server_group_members"], members, adding):
        raise exceptions.Forbidden("Quota exceeded, too many servers in group")

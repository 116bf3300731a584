"""GET /servers and /servers/detail query parameters, as Nova reads them.

Everyone may filter by name (a regular expression), status, image, flavor, ip (and ip6
from 2.5), reservation_id, changes-since and, from 2.26, tags; admins also by host,
node, project and any instance column Nova allows, across projects with all_tenants.
Filters a non-admin may not use are ignored, as in Nova. Sorting is by sort_key /
sort_dir pairs (created_at desc by default), paging by limit and marker.
"""
import dataclasses
import datetime
from typing import Any

import falcon

from common import compute_states, exceptions, policy
from common.config import CONF
from common.db.api import compute_network, compute_tags
from services.api import handlers
from services.api.compute import microversion, params

# Admin-only filters that map straight to instance columns.
_ADMIN_FILTERS = {"host": "host", "node": "node", "project_id": "project_id",
                  "tenant_id": "project_id", "user_id": "user_id",
                  "vm_state": "vm_state", "task_state": "task_state",
                  "power_state": "power_state", "availability_zone": "availability_zone",
                  "key_name": "key_name", "hostname": "hostname", "uuid": "uuid",
                  "launch_index": "launch_index", "access_ip_v4": "access_ip_v4",
                  "access_ip_v6": "access_ip_v6", "config_drive": "config_drive"}
# Nova's sort keys; those without a column here are accepted and not sorted on.
_SORT_KEYS = {"access_ip_v4": "access_ip_v4", "access_ip_v6": "access_ip_v6",
              "availability_zone": "availability_zone", "config_drive": "config_drive",
              "created_at": "created_at", "display_description": "display_description",
              "display_name": "display_name", "host": "host", "hostname": "hostname",
              "image_ref": "image_ref", "instance_type_id": "flavor_id",
              "key_name": "key_name", "launch_index": "launch_index",
              "launched_at": "launched_at", "locked": "locked", "node": "node",
              "power_state": "power_state", "progress": "progress",
              "project_id": "project_id", "task_state": "task_state",
              "terminated_at": "terminated_at", "updated_at": "updated_at",
              "user_id": "user_id", "uuid": "uuid", "vm_state": "vm_state",
              "auto_disk_config": None, "kernel_id": None, "ramdisk_id": None,
              "root_device_name": None, "locked_by": None}
_ADMIN_SORT_KEYS = ("host", "node")


@dataclasses.dataclass
class ListQuery:
    filters: dict[str, Any]
    limit: int
    marker: str | None
    sort_keys: list[str]
    sort_dirs: list[str]
    read_deleted: str = "no"
    empty: bool = False  # a filter that matches nothing (e.g. an unknown status)


def _values(req: falcon.Request, name: str) -> list[str]:
    value = req.params.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_time(name: str, value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise exceptions.BadRequest(f"Invalid filter field: {name}.") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def _tag_list(req: falcon.Request, name: str) -> list[str]:
    return [tag for value in _values(req, name) for tag in value.split(",") if tag]


def parse(req: falcon.Request) -> ListQuery:
    ctx = handlers.ctx(req)
    version = microversion.version(req)
    query = ListQuery(filters={}, limit=CONF.api.max_limit, marker=None,
                      sort_keys=[], sort_dirs=[])
    _paging(req, query)
    every_project = _scope(req, query)
    _common_filters(req, query, version)
    if ctx.is_admin:
        _admin_filters(req, query, every_project)
    if version >= (2, 26):
        _tag_filters(req, query)
    _sorting(req, query, bool(ctx.is_admin))
    return query


def _paging(req: falcon.Request, query: ListQuery) -> None:
    raw = handlers.query(req, "limit")
    if raw is not None:
        query.limit = min(params.integer("limit", raw, minimum=0), CONF.api.max_limit)
    query.marker = handlers.query(req, "marker")


def _scope(req: falcon.Request, query: ListQuery) -> bool:
    """Everyone sees their own project's servers; an admin asking all_tenants sees every
    project's (then narrowed by project_id / tenant_id, which Nova ignores without
    all_tenants). Whether all projects are in scope."""
    ctx = handlers.ctx(req)
    all_tenants = handlers.query(req, "all_tenants")
    if all_tenants is not None:
        policy.authorize(ctx, "compute:servers:index:all_tenants", {})
        if params.boolean("all_tenants", all_tenants or True):
            return True
    query.filters["project_id"] = ctx.project_id
    return False


def _common_filters(req: falcon.Request, query: ListQuery,
                    version: microversion.Version) -> None:
    filters = query.filters
    for name in ("name", "image", "flavor", "reservation_id"):
        value = handlers.query(req, name)
        if value is not None:
            filters[name] = value
    status = handlers.query(req, "status")
    if status is not None:
        vm_states, _tasks = compute_states.states_for_status(status)
        if not vm_states:
            if version >= (2, 38):
                raise exceptions.BadRequest(f"Invalid status value: {status}")
            query.empty = True
        elif "deleted" in vm_states:
            query.read_deleted = "yes"
        filters["status"] = status
    filters.update(change_window(req, version))
    _ip_filter(req, query, version)


def change_window(req: falcon.Request,
                  version: microversion.Version) -> dict[str, datetime.datetime]:
    """``changes-since`` and, from 2.66, ``changes-before`` (not before the former)."""
    window = {}
    names = ("changes-since", "changes-before") if version >= (2, 66) else ("changes-since",)
    for name in names:
        value = handlers.query(req, name)
        if value is not None:
            window[name] = parse_time(name, value)
    if len(window) == 2 and window["changes-before"] < window["changes-since"]:
        raise exceptions.BadRequest("The value of changes-since must be less than or "
                                    "equal to changes-before.")
    return window


def _ip_filter(req: falcon.Request, query: ListQuery, version: microversion.Version) -> None:
    ip, ip6 = handlers.query(req, "ip"), handlers.query(req, "ip6")
    if ip6 is not None and version < (2, 5) and not handlers.ctx(req).is_admin:
        ip6 = None
    for pattern, ip_version in ((ip, 4), (ip6, 6)):
        if pattern is None:
            continue
        try:
            found = compute_network.instances_with_ip(handlers.ctx(req), pattern,
                                                      ip_version)
        except Exception:  # noqa: BLE001 - a bad regular expression matches nothing
            found = set()
        _keep_only(query, found)


def _keep_only(query: ListQuery, uuids: set[str]) -> None:
    current = query.filters.get("uuid")
    kept = uuids if current is None else set(current) & uuids
    query.filters["uuid"] = sorted(kept)
    if not kept:
        query.empty = True


def _admin_filters(req: falcon.Request, query: ListQuery, every_project: bool) -> None:
    for name, column in _ADMIN_FILTERS.items():
        value = handlers.query(req, name)
        if value is None or (column == "project_id" and not every_project):
            continue
        if column in ("config_drive",):
            query.filters[column] = params.boolean(name, value)
        elif column in ("power_state", "launch_index"):
            query.filters[column] = params.integer(name, value)
        elif column == "uuid":
            _keep_only(query, {value})
        else:
            query.filters[column] = value
    deleted = handlers.query(req, "deleted")
    if deleted is not None and params.boolean("deleted", deleted):
        query.read_deleted = "only"


def _tag_filters(req: falcon.Request, query: ListQuery) -> None:
    names = ("tags", "tags-any", "not-tags", "not-tags-any")
    lists = [_tag_list(req, name) for name in names]
    if not any(lists):
        return
    keep, drop = compute_tags.matching(handlers.ctx(req), *lists)
    if keep is not None:
        _keep_only(query, keep)
    if drop:
        query.filters["not-uuid"] = sorted(drop)


def _sorting(req: falcon.Request, query: ListQuery, is_admin: bool) -> None:
    keys, dirs = _values(req, "sort_key"), _values(req, "sort_dir")
    for direction in dirs:
        if direction not in ("asc", "desc"):
            raise exceptions.BadRequest(f"Invalid sort direction {direction}")
    for index, key in enumerate(keys):
        if key not in _SORT_KEYS:
            raise exceptions.BadRequest(f"Invalid sort key {key}")
        if key in _ADMIN_SORT_KEYS and not is_admin:
            raise exceptions.Forbidden(f"Only administrators can sort servers by {key}")
        column = _SORT_KEYS[key]
        if column is not None:
            query.sort_keys.append(column)
            query.sort_dirs.append(dirs[index] if index < len(dirs)
                                   else (dirs[-1] if dirs else "desc"))
    if not query.sort_keys:
        query.sort_keys, query.sort_dirs = ["created_at"], ["desc"]

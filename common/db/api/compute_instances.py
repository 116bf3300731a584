"""Instances: create, read, list with Nova's filters, guarded state changes, soft delete.

State changes are compare-and-swap updates: ``update(..., expected_task_state=...)`` and
``begin_action`` change a row only if it is still in the state the caller saw, so the
api, the conductor and an agent racing on one instance never lose an update silently
(the loser gets UnexpectedTaskState / InstanceInvalidState, a 409).
"""
import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import compute_states, context, exceptions
from common.compute_states import TaskState, VMState
from common.config import CONF
from common.db import models, session
from common.db.api import compute_actions, compute_migrations, compute_quotas, paging
from common.db.api.records import from_row
from common.db.types import utcnow

_UNSET: Any = object()
Instance = models.Instance
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class InstanceRecord:
    """A server as the database holds it, with its metadata; ``flavor`` (and old_flavor,
    new_flavor while a resize runs) is the flavor snapshot it was built with."""
    id: int
    uuid: str
    display_name: str
    display_description: str | None
    project_id: str
    user_id: str
    hostname: str
    reservation_id: str
    launch_index: int
    image_ref: str
    image_meta: dict[str, Any]
    flavor_id: str
    flavor: dict[str, Any]
    old_flavor: dict[str, Any] | None
    new_flavor: dict[str, Any] | None
    host: str | None
    node: str | None
    availability_zone: str | None
    vm_state: str
    task_state: str | None
    power_state: int
    progress: int
    launched_at: datetime.datetime | None
    terminated_at: datetime.datetime | None
    key_name: str | None
    key_data: str | None
    user_data: str | None
    config_drive: bool
    access_ip_v4: str | None
    access_ip_v6: str | None
    locked: bool
    locked_by: str | None
    locked_reason: str | None
    requested_networks: dict | list | str | None
    deleted: bool
    deleted_at: datetime.datetime | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    metadata: dict[str, str]


@dataclasses.dataclass(frozen=True)
class FaultRecord:
    id: int
    instance_uuid: str
    code: int
    message: str
    details: str
    host: str | None
    created_at: datetime.datetime


def _record(instance: Instance) -> InstanceRecord:
    return from_row(InstanceRecord, instance, image_meta=dict(instance.image_meta or {}),
                    metadata={item.key: item.value for item in instance.metadata_items})

# Filters matched exactly against a column of the same name.
_EXACT_FILTERS = ("uuid", "project_id", "user_id", "host", "node", "hostname",
                  "availability_zone", "vm_state", "task_state", "power_state",
                  "reservation_id", "key_name", "locked", "config_drive", "image_ref",
                  "flavor_id", "launch_index", "access_ip_v4", "access_ip_v6")
_SORT_KEYS = {"created_at", "updated_at", "launched_at", "terminated_at", "display_name",
              "hostname", "host", "node", "uuid", "vm_state", "task_state", "power_state",
              "project_id", "user_id", "availability_zone", "key_name", "image_ref",
              "flavor_id", "id", "launch_index", "locked", "progress",
              "display_description", "access_ip_v4", "access_ip_v6", "config_drive",
              "deleted_at", "reservation_id"}


def sanitize_hostname(name: str, default: str) -> str:
    """Nova's hostname from a display name: lowercase letters, digits, '-' and '.'."""
    hostname = re.sub(r"[ _]", "-", name.lower())
    hostname = re.sub(r"[^a-z0-9.-]+", "", hostname)
    hostname = hostname[:63].strip(".-")
    return hostname or default


def create(ctxt: Context, values: Mapping[str, Any], metadata: Mapping[str, str] | None = None,
           request_spec: Mapping[str, Any] | None = None,
           server_group_uuid: str | None = None,
           request_id: str | None = None) -> InstanceRecord:
    """Insert a new instance (BUILD: building/scheduling), its metadata, its request
    spec, its server group membership and the 'create' instance action, atomically.

    ``values`` are Instance columns; ``flavor`` (a flavor snapshot from
    compute_flavors.snapshot) is required and sets ``flavor_id``.
    """
    return create_all(ctxt, [values], metadata, request_spec, server_group_uuid, request_id)[0]


def create_all(ctxt: Context, rows: Sequence[Mapping[str, Any]],
               metadata: Mapping[str, str] | None = None,
               request_spec: Mapping[str, Any] | None = None,
               server_group_uuid: str | None = None, request_id: str | None = None,
               check_usage: Callable[[dict[str, int]], None] | None = None,
               tags: Iterable[str] = ()) -> list[InstanceRecord]:
    """Insert the instances of one request (a multiple create) in one transaction.

    ``check_usage`` gets the project's usage (``usage()``) counted under the project's
    quota lock and raises to refuse: the recheck of Nova's counted quotas, without its
    window between the count and the insert."""
    project_id = rows[0]["project_id"] if check_usage is not None and rows else None
    if project_id is not None:
        compute_quotas.ensure_lock_row(ctxt, project_id)
    with session.transaction() as s:
        if project_id is not None and check_usage is not None:
            compute_quotas.lock_project(s, project_id)
            check_usage(_usage(s, project_id))
        group_id = None
        if server_group_uuid is not None:
            group_id = s.scalar(sa.select(models.ServerGroup.id).filter_by(
                uuid=server_group_uuid))
            if group_id is None:
                raise exceptions.ServerGroupNotFound(group_uuid=server_group_uuid)
        return [_record(_insert(s, values, metadata, request_spec, group_id, request_id,
                                tags)) for values in rows]


def _insert(s: orm.Session, values: Mapping[str, Any], metadata: Mapping[str, str] | None,
            request_spec: Mapping[str, Any] | None, group_id: int | None,
            request_id: str | None, tags: Iterable[str]) -> Instance:
    values = dict(values)
    values.setdefault("uuid", models.base.new_uuid())
    values.setdefault("vm_state", VMState.BUILDING)
    values.setdefault("task_state", TaskState.SCHEDULING)
    values.setdefault("flavor_id", values["flavor"]["id"])
    values.setdefault("hostname", sanitize_hostname(values.get("display_name") or "",
                                                    "server-" + values["uuid"]))
    instance = Instance(**values)
    instance.metadata_items = [models.InstanceMetadata(key=k, value=v)
                               for k, v in (metadata or {}).items()]
    s.add(instance)
    s.flush()
    if request_spec is not None:
        s.add(models.RequestSpec(instance_uuid=instance.uuid, spec=dict(request_spec)))
    if group_id is not None:
        s.add(models.ServerGroupMember(group_id=group_id, instance_uuid=instance.uuid))
    s.add_all(models.InstanceTag(instance_uuid=instance.uuid, tag=tag)
              for tag in sorted(set(tags)))
    compute_actions.record(s, instance.uuid, "create", request_id or "",
                           instance.user_id, instance.project_id)
    return instance


def _query(read_deleted: str = "no") -> sa.Select:
    query = sa.select(Instance)
    if read_deleted == "no":
        query = query.where(Instance.deleted.is_(False))
    elif read_deleted == "only":
        query = query.where(Instance.deleted.is_(True))
    return query


def get(ctxt: Context, uuid: str, read_deleted: str = "no",
        project_id: str | None = None) -> InstanceRecord:
    """One instance; InstanceNotFound if missing, deleted (unless read_deleted) or in
    another project than ``project_id``."""
    query = _query(read_deleted).where(Instance.uuid == uuid)
    if project_id is not None:
        query = query.where(Instance.project_id == project_id)
    with session.reader() as s:
        instance = s.scalars(query).one_or_none()
        if instance is None:
            raise exceptions.InstanceNotFound(instance_id=uuid)
        return _record(instance)


def list_instances(ctxt: Context, filters: Mapping[str, Any] | None = None,
                   limit: int | None = None,
                   marker: str | None = None, sort_keys: Sequence[str] = ("created_at",),
                   sort_dirs: Sequence[str] = ("desc",),
                   read_deleted: str = "no") -> list[InstanceRecord]:
    """Instances matching Nova's server-list filters, sorted and paged by ``marker``
    (an instance uuid). Filters:

    - any of _EXACT_FILTERS: equal (a list or tuple value means "any of");
    - ``name``: regular expression searched in the display name, as Nova does;
    - ``status``: an API status (ACTIVE, SHUTOFF, ...), see compute_states;
    - ``image`` / ``flavor``: image_ref / flavor_id;
    - ``changes-since`` / ``changes-before``: datetimes on updated_at; either also
      lists deleted instances (read_deleted is ignored then), as Nova does;
    - ``not-uuid``: uuids left out (the API's tag filters).
    """
    filters = dict(filters or {})
    if "changes-since" in filters or "changes-before" in filters:
        read_deleted = "yes"
    query = _apply_filters(_query(read_deleted), filters)
    with session.reader() as s:
        marker_row = None
        if marker is not None:
            marker_row = s.scalars(_query("yes").where(Instance.uuid == marker)).one_or_none()
            if marker_row is None:
                raise exceptions.BadRequest(f"marker [{marker}] not found")
        query = _sorted_page(query, sort_keys, sort_dirs, marker_row)
        if limit is not None:
            query = query.limit(limit)
        return [_record(instance) for instance in s.scalars(query)]


def _apply_filters(query: sa.Select, filters: dict[str, Any]) -> sa.Select:
    renames = {"image": "image_ref", "flavor": "flavor_id", "tenant_id": "project_id"}
    for name, column in renames.items():
        if name in filters:
            filters[column] = filters.pop(name)
    for key in _EXACT_FILTERS:
        if key in filters:
            value = filters[key]
            column = getattr(Instance, key)
            query = query.where(column.in_(value) if isinstance(value, list | tuple | set)
                                else column == value)
    if "name" in filters:
        query = query.where(Instance.display_name.regexp_match(filters["name"]))
    if "status" in filters:
        vm_states, task_states = compute_states.states_for_status(filters["status"])
        query = query.where(Instance.vm_state.in_(vm_states))
        if task_states is not None:
            query = query.where(Instance.task_state.in_(task_states))
    # A row never updated has no updated_at: its creation is its last change.
    changed = sa.func.coalesce(Instance.updated_at, Instance.created_at)
    if "changes-since" in filters:
        query = query.where(changed >= filters["changes-since"])
    if "changes-before" in filters:
        query = query.where(changed <= filters["changes-before"])
    if "deleted" in filters:
        query = query.where(Instance.deleted.is_(bool(filters["deleted"])))
    if "not-uuid" in filters:
        query = query.where(Instance.uuid.not_in(list(filters["not-uuid"])))
    return query


def _sorted_page(query: sa.Select, sort_keys: Sequence[str], sort_dirs: Sequence[str],
                 marker: Instance | None) -> sa.Select:
    """ORDER BY the keys (plus id as tie-breaker), and only rows after ``marker``."""
    keys = list(sort_keys) or ["created_at"]
    dirs = list(sort_dirs) + [sort_dirs[-1] if sort_dirs else "desc"] * len(keys)
    for key in keys:
        if key not in _SORT_KEYS:
            raise exceptions.BadRequest(f"Invalid sort key {key}")
    pairs = list(zip(keys, dirs[:len(keys)], strict=True))
    if "id" not in keys:
        pairs.append(("id", pairs[-1][1]))
    for _key, direction in pairs:
        if direction not in ("asc", "desc"):
            raise exceptions.BadRequest(f"Invalid sort direction {direction}")
    return paging.sorted_after(query, Instance, pairs, marker)


def update(ctxt: Context, uuid: str, values: Mapping[str, Any], expected_task_state: Any = _UNSET,
           expected_vm_state: Iterable[str] | str | None = None) -> InstanceRecord:
    """Change columns of a live instance if it is still in the expected states.

    ``expected_task_state`` is a task_state or a list of them (None included); any
    task_state matches when it is not given. A task_state of DELETING only matches when
    asked for: an instance being deleted refuses every other transition (Nova's
    UnexpectedDeletingTaskState).
    """
    values = {**_from_wire(values), "updated_at": utcnow()}
    conditions = [Instance.uuid == uuid, Instance.deleted.is_(False)]
    expected: list | None = None
    if expected_task_state is not _UNSET:
        expected = (list(expected_task_state) if isinstance(expected_task_state, list | tuple)
                    else [expected_task_state])
        conditions.append(_task_state_in(expected))
    if expected_vm_state is not None:
        vm_states = ([expected_vm_state] if isinstance(expected_vm_state, str)
                     else list(expected_vm_state))
        conditions.append(Instance.vm_state.in_(vm_states))
    with session.transaction() as s:
        updated = session.rowcount(s.execute(sa.update(Instance).where(*conditions).values(**values)
                            .execution_options(synchronize_session=False)))
        if updated:
            return _record(s.scalars(sa.select(Instance).filter_by(uuid=uuid)).one())
        current = s.scalars(_query().where(Instance.uuid == uuid)).one_or_none()
    if current is None:
        raise exceptions.InstanceNotFound(instance_id=uuid)
    if expected is not None and current.task_state not in expected:
        error = (exceptions.UnexpectedDeletingTaskState
                 if current.task_state == TaskState.DELETING
                 else exceptions.UnexpectedTaskState)
        raise error(instance_id=uuid, expected=expected, actual=current.task_state)
    raise exceptions.InstanceInvalidState(action="update", instance_id=uuid,
                                          attr="vm_state", state=current.vm_state)



_DATETIME_COLUMNS = {column.key for column in Instance.__table__.columns
                     if isinstance(column.type, sa.DateTime)}


def _from_wire(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values that crossed RPC carry datetimes as ISO strings (see to_dict)."""
    return {key: datetime.datetime.fromisoformat(value)
            if key in _DATETIME_COLUMNS and isinstance(value, str) else value
            for key, value in values.items()}


def _task_state_in(states: list) -> sa.ColumnElement:
    named = [state for state in states if state is not None]
    clauses = [Instance.task_state.in_(named)] if named else []
    if None in states:
        clauses.append(Instance.task_state.is_(None))
    return sa.or_(*clauses)


def begin_action(ctxt: Context, uuid: str, action: str, request_id: str, user_id: str | None,
                 project_id: str | None, values: Mapping[str, Any] | None = None,
                 record_action: bool = True) -> InstanceRecord:
    """Start API action ``action`` (a key of compute_states.ACTIONS) on an instance.

    Atomically checks the instance is in a vm_state/task_state the action may start
    from, sets the action's task_state (plus ``values``), and records the instance
    action under ``request_id``. InstanceInvalidState (409) otherwise.
    """
    rule = compute_states.ACTIONS[action]
    conditions = [Instance.uuid == uuid, Instance.deleted.is_(False)]
    if rule.vm_states is not None:
        conditions.append(Instance.vm_state.in_(rule.vm_states))
    if rule.task_states is not None:
        conditions.append(_task_state_in(list(rule.task_states)))
    new_values = {**(values or {}), "updated_at": utcnow()}
    if rule.task_state is not None or rule.task_states is not None:
        new_values["task_state"] = rule.task_state
    with session.transaction() as s:
        updated = session.rowcount(s.execute(
            sa.update(Instance).where(*conditions).values(**new_values)
            .execution_options(synchronize_session=False)))
        instance = s.scalars(_query().where(Instance.uuid == uuid)).one_or_none()
        if instance is None:
            raise exceptions.InstanceNotFound(instance_id=uuid)
        if not updated:
            task_blocked = (rule.task_states is not None
                            and instance.task_state not in rule.task_states)
            raise exceptions.InstanceInvalidState(
                action=action, instance_id=uuid,
                attr="task_state" if task_blocked else "vm_state",
                state=instance.task_state if task_blocked else instance.vm_state)
        if record_action:
            compute_actions.record(s, uuid, compute_states.ACTION_NAMES[action], request_id,
                                   user_id, project_id)
        return _record(instance)


def update_metadata(ctxt: Context, uuid: str, metadata: Mapping[str, str],
                    replace: bool = False) -> dict:
    """Merge ``metadata`` into the instance's (or replace it all); return the result."""
    with session.transaction() as s:
        instance = s.scalars(_query().where(Instance.uuid == uuid)).one_or_none()
        if instance is None:
            raise exceptions.InstanceNotFound(instance_id=uuid)
        current = {item.key: item for item in instance.metadata_items}
        for key, item in list(current.items()):
            if replace and key not in metadata:
                instance.metadata_items.remove(item)
        for key, value in metadata.items():
            if key in current:
                current[key].value = value
            else:
                instance.metadata_items.append(models.InstanceMetadata(key=key, value=value))
        instance.updated_at = utcnow()
        s.flush()
        return {item.key: item.value for item in instance.metadata_items}


def delete_metadata_key(ctxt: Context, uuid: str, key: str) -> None:
    with session.transaction() as s:
        if s.scalar(sa.select(Instance.id).where(Instance.uuid == uuid,
                                                 Instance.deleted.is_(False))) is None:
            raise exceptions.InstanceNotFound(instance_id=uuid)
        deleted = session.rowcount(s.execute(sa.delete(models.InstanceMetadata).where(
            models.InstanceMetadata.instance_uuid == uuid,
            models.InstanceMetadata.key == key)))
    if not deleted:
        raise exceptions.NotFound(f"Metadata item was not found: {key}")


def add_fault(ctxt: Context, uuid: str, code: int, message: str, details: str = "",
              host: str | None = None) -> None:
    """Record why an instance failed; the API shows the newest fault of an ERROR server."""
    with session.transaction() as s:
        s.add(models.InstanceFault(instance_uuid=uuid, code=code, message=message[:255],
                                   details=details, host=host))


def latest_faults(ctxt: Context, uuids: Iterable[str]) -> dict[str, FaultRecord]:
    """{instance uuid: newest fault} for a page of instances, in one query."""
    uuids = list(uuids)
    if not uuids:
        return {}
    fault = models.InstanceFault
    newest = (sa.select(sa.func.max(fault.id)).where(fault.instance_uuid.in_(uuids))
              .group_by(fault.instance_uuid))
    with session.reader() as s:
        return {row.instance_uuid: from_row(FaultRecord, row)
                for row in s.scalars(sa.select(fault).where(fault.id.in_(newest)))}


def set_error(ctxt: Context, uuid: str, code: int, message: str, details: str = "",
              host: str | None = None) -> None:
    """vm_state ERROR, task_state None, plus a fault, in one transaction."""
    with session.transaction() as s:
        s.execute(sa.update(Instance).where(Instance.uuid == uuid,
                                            Instance.deleted.is_(False))
                  .values(vm_state=VMState.ERROR, task_state=None, updated_at=utcnow())
                  .execution_options(synchronize_session=False))
        s.add(models.InstanceFault(instance_uuid=uuid, code=code, message=message[:255],
                                   details=details, host=host))


def soft_delete(ctxt: Context, uuid: str) -> InstanceRecord | None:
    """Mark the instance deleted and drop its server group membership; None if gone."""
    now = utcnow()
    with session.transaction() as s:
        updated = session.rowcount(s.execute(sa.update(Instance).where(Instance.uuid == uuid,
                                                      Instance.deleted.is_(False))
                            .values(deleted=True, deleted_at=now, terminated_at=now,
                                    vm_state=VMState.DELETED, task_state=None,
                                    power_state=compute_states.PowerState.NOSTATE,
                                    updated_at=now)
                            .execution_options(synchronize_session=False)))
        s.execute(sa.delete(models.ServerGroupMember).filter_by(instance_uuid=uuid))
        if not updated:
            return None
        return _record(s.scalars(sa.select(Instance).filter_by(uuid=uuid)).one())


def for_host(ctxt: Context, host: str) -> list[InstanceRecord]:
    """Live instances on ``host``, plus those a running resize moves to or from it."""
    migration = models.Migration
    moving = (sa.select(migration.instance_uuid)
              .where(migration.status.in_(compute_migrations.IN_PROGRESS),
                     sa.or_(migration.source_compute == host, migration.dest_compute == host)))
    query = _query().where(sa.or_(Instance.host == host, Instance.uuid.in_(moving)))
    with session.reader() as s:
        return [_record(instance) for instance in s.scalars(query.order_by(Instance.id))]


def stale(ctxt: Context, task_states: Iterable[str], older_than: float) -> list[str]:
    """Uuids of live instances in one of ``task_states`` unchanged for ``older_than``
    seconds (a new row has no updated_at yet: its creation counts)."""
    before = utcnow() - datetime.timedelta(seconds=older_than)
    query = (sa.select(Instance.uuid)
             .where(Instance.deleted.is_(False), Instance.task_state.in_(list(task_states)),
                    sa.func.coalesce(Instance.updated_at, Instance.created_at) < before)
             .order_by(Instance.id))
    with session.reader() as s:
        return list(s.scalars(query))


def deleted_holding_resources(ctxt: Context, limit: int = 100) -> list[str]:
    """Uuids of deleted instances that still hold a claim or a compute port: what a
    flow that died while its instance was being deleted made after the delete."""
    deleted = sa.select(Instance.uuid).where(Instance.deleted.is_(True))
    claimed = sa.select(models.Allocation.consumer_id).where(
        models.Allocation.consumer_id.in_(deleted))
    ported = sa.select(models.Port.device_id).where(
        models.Port.device_id.in_(deleted), models.Port.device_owner.like("compute:%"))
    with session.reader() as s:
        return sorted(set(s.scalars(claimed.distinct().limit(limit)))
                      | set(s.scalars(ported.distinct().limit(limit))))


def get_request_spec(ctxt: Context, uuid: str) -> dict:
    with session.reader() as s:
        spec = s.scalar(sa.select(models.RequestSpec.spec).filter_by(instance_uuid=uuid))
    return dict(spec or {})


def save_request_spec(ctxt: Context, uuid: str, spec: Mapping[str, Any]) -> None:
    with session.transaction() as s:
        row = s.scalars(sa.select(models.RequestSpec).filter_by(
            instance_uuid=uuid)).one_or_none()
        if row is None:
            s.add(models.RequestSpec(instance_uuid=uuid, spec=dict(spec)))
        else:
            row.spec = dict(spec)


def usage(ctxt: Context, project_id: str, user_id: str | None = None) -> dict[str, int]:
    """What the project's live instances use: {instances, cores, ram} (quota checks)."""
    with session.reader() as s:
        return _usage(s, project_id, user_id)


def _usage(s: orm.Session, project_id: str, user_id: str | None = None) -> dict[str, int]:
    query = sa.select(Instance.flavor).where(Instance.project_id == project_id,
                                             Instance.deleted.is_(False))
    if user_id is not None:
        query = query.where(Instance.user_id == user_id)
    flavors = list(s.scalars(query))
    return {"instances": len(flavors),
            "cores": sum(int(flavor["vcpus"]) for flavor in flavors),
            "ram": sum(int(flavor["memory_mb"]) for flavor in flavors)}


def instance_name(instance_id: int) -> str:
    """The hypervisor's name of an instance (OS-EXT-SRV-ATTR:instance_name)."""
    return CONF.compute.instance_name_template % instance_id


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_dict(instance: InstanceRecord) -> dict[str, Any]:
    """The instance as plain JSON-able data (RPC payloads, notifications)."""
    result: dict[str, Any] = {}
    for field in dataclasses.fields(instance):
        value = getattr(instance, field.name)
        result[field.name] = _iso(value) if isinstance(value, datetime.datetime) else value
    result["instance_name"] = instance_name(instance.id)
    return result


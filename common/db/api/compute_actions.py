"""Instance actions and their events (os-instance-actions).

The api records an action per request (create, stop, reboot, ...); the services that
carry it out record events under the same request id (compute_stop_instance, ...), with
a result and, on failure, a traceback.
"""
import dataclasses
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

SUCCESS = "Success"
ERROR = "Error"

_Action = models.InstanceAction
_Event = models.InstanceActionEvent
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class ActionRecord:
    id: int
    action: str
    instance_uuid: str
    request_id: str
    user_id: str | None
    project_id: str | None
    start_time: datetime.datetime
    finish_time: datetime.datetime | None
    message: str | None
    updated_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class EventRecord:
    event: str
    result: str | None
    traceback: str | None
    start_time: datetime.datetime
    finish_time: datetime.datetime | None
    host: str | None
    details: str | None


def record(s: orm.Session, instance_uuid: str, action: str, request_id: str,
           user_id: str | None, project_id: str | None) -> _Action:
    """Add an action inside the caller's transaction (with the state change it records)."""
    row = _Action(instance_uuid=instance_uuid, action=action, request_id=request_id,
                  user_id=user_id, project_id=project_id)
    s.add(row)
    return row


def create(ctxt: Context, instance_uuid: str, action: str) -> ActionRecord:
    """The action of the context's request, by its user in its project."""
    with session.transaction() as s:
        row = record(s, instance_uuid, action, ctxt.request_id, ctxt.user_id,
                     ctxt.project_id)
        s.flush()
        return from_row(ActionRecord, row)


def _action_for(s: orm.Session, instance_uuid: str, request_id: str) -> _Action | None:
    return s.scalars(sa.select(_Action).filter_by(instance_uuid=instance_uuid,
                                                  request_id=request_id)
                     .order_by(_Action.id.desc()).limit(1)).first()


def event_start(ctxt: Context, instance_uuid: str, request_id: str, event: str,
                host: str | None) -> bool:
    """Start ``event`` of the action of ``request_id`` (named: the agent that reports it
    may run under another request); False when there is no action (work a service does
    on its own, such as a power-state sync)."""
    with session.transaction() as s:
        action = _action_for(s, instance_uuid, request_id)
        if action is None:
            return False
        s.add(_Event(action_id=action.id, event=event, host=host))
        action.updated_at = utcnow()
        return True


def event_finish(ctxt: Context, instance_uuid: str, request_id: str, event: str,
                 result: str = SUCCESS, traceback: str | None = None,
                 details: str | None = None) -> bool:
    """Finish the newest unfinished ``event`` of the action; an Error result marks the
    action's message 'Error', as Nova does."""
    now = utcnow()
    with session.transaction() as s:
        action = _action_for(s, instance_uuid, request_id)
        if action is None:
            return False
        row = s.scalars(sa.select(_Event).filter_by(action_id=action.id, event=event,
                                                    finish_time=None)
                        .order_by(_Event.id.desc()).limit(1)).first()
        if row is None:
            row = _Event(action_id=action.id, event=event, start_time=now)
            s.add(row)
        row.finish_time = now
        row.result = result
        row.traceback = traceback
        row.details = details
        action.updated_at = now
        if result == ERROR:
            action.message = ERROR
        return True


def list_actions(ctxt: Context, instance_uuid: str) -> list[ActionRecord]:
    """Actions of an instance, newest first (os-instance-actions list)."""
    with session.reader() as s:
        rows = s.scalars(sa.select(_Action).filter_by(instance_uuid=instance_uuid)
                         .order_by(_Action.created_at.desc(), _Action.id.desc()))
        return [from_row(ActionRecord, row) for row in rows]


def get_action(ctxt: Context, instance_uuid: str,
               request_id: str) -> tuple[ActionRecord, list[EventRecord]]:
    """An action and its events (os-instance-actions show)."""
    with session.reader() as s:
        action = _action_for(s, instance_uuid, request_id)
        if action is None:
            raise exceptions.NotFound(f"Action for request_id {request_id} on instance "
                                      f"{instance_uuid} not found")
        events = s.scalars(sa.select(_Event).filter_by(action_id=action.id)
                           .order_by(_Event.id))
        return (from_row(ActionRecord, action),
                [from_row(EventRecord, event) for event in events])

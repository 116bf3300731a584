"""Token revocation events: recorded with the change that revokes, read in bulk by
each api process's revocation cache.

After a commit that recorded an event, the stamp file (``revocations.stamp`` in the
key repository) is touched: api workers on this host stat it on every validation and
reload at once, so a revoked token stops working on every worker immediately; other
hosts reload at most ``[identity] revocation_cache_time`` seconds later.
"""
import dataclasses
import datetime
import os

import sqlalchemy as sa
from sqlalchemy import event, orm

from common import context
from common.config import CONF
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

STAMP_FILE = "revocations.stamp"
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class RevocationRecord:
    """Tokens issued before ``issued_before`` that match every non-None field are
    revoked."""

    audit_id: str | None
    user_id: str | None
    project_id: str | None
    domain_id: str | None
    app_cred_id: str | None
    issued_before: datetime.datetime
    revoked_at: datetime.datetime


def stamp_path() -> str:
    return os.path.join(CONF.identity.key_repository, STAMP_FILE)


def _touch_stamp(_session: orm.Session) -> None:
    path = stamp_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a"):
        pass
    os.utime(path)


def record(s: orm.Session, audit_id: str | None = None, user_id: str | None = None,
           project_id: str | None = None, domain_id: str | None = None,
           app_cred_id: str | None = None) -> None:
    """Revoke, in the transaction of ``s``, the tokens issued until now that match."""
    now = utcnow()
    s.add(models.RevocationEvent(audit_id=audit_id, user_id=user_id, project_id=project_id,
                                 domain_id=domain_id, app_cred_id=app_cred_id,
                                 issued_before=now, revoked_at=now))
    event.listen(s, "after_commit", _touch_stamp, once=True)


def revoke(ctxt: Context, **match: str) -> None:
    with session.transaction() as s:
        record(s, **match)


def list_events(ctxt: Context, since: datetime.datetime) -> list[RevocationRecord]:
    """Events that may still match a live token (revoked after ``since``)."""
    with session.reader() as s:
        return [from_row(RevocationRecord, row) for row in s.scalars(
            sa.select(models.RevocationEvent).where(
                models.RevocationEvent.revoked_at >= since))]


def prune(ctxt: Context, before: datetime.datetime) -> int:
    with session.transaction() as s:
        return session.rowcount(s.execute(sa.delete(models.RevocationEvent).where(
            models.RevocationEvent.revoked_at < before)))

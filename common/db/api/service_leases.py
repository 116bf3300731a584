"""Leases: a job that one service of a kind runs at a time, as long as it is alive.

``acquire`` inserts the lease's row, or takes it over when it is the caller's own or
has lapsed, in one statement each, so of two conductors asking at once one holds it.
"""
import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from common import context
from common.db import models, session
from common.db.types import utcnow

Lease = models.ServiceLease


def acquire(ctxt: context.RequestContext, name: str, holder: str, seconds: float) -> bool:
    """Hold (or renew) the lease ``name`` for ``seconds``; False when another holds it."""
    now = utcnow()
    expires_at = now + datetime.timedelta(seconds=seconds)
    with session.transaction() as s:
        taken = session.rowcount(s.execute(
            sa.update(Lease).where(Lease.name == name,
                                   sa.or_(Lease.holder == holder, Lease.expires_at < now))
            .values(holder=holder, expires_at=expires_at)
            .execution_options(synchronize_session=False)))
    if taken:
        return True
    try:
        with session.transaction() as s:
            s.add(Lease(name=name, holder=holder, expires_at=expires_at))
        return True
    except sa_exc.IntegrityError:
        return False  # another holds it

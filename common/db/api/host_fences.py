"""Fences of dead compute hosts: the HA monitor's claim on a host.

A conductor that finds a compute host silent inserts the host's row; the insert is
the claim, so of two conductors exactly one fences the host (marks its service forced
down, runs the fence methods) and the other leaves it. The row stays while the host is
dead; once its agent's heartbeat is newer than the fence, ``lift`` removes it and the
forced-down mark, in one transaction.
"""
import dataclasses
import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from common import context
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

Context = context.RequestContext
COMPUTE_BINARY = "strato-compute"


@dataclasses.dataclass(frozen=True)
class FenceRecord:
    host: str
    fenced_at: datetime.datetime
    fenced_by: str
    outcome: str


def claim(ctxt: Context, host: str, conductor: str) -> FenceRecord | None:
    """Fence ``host`` for ``conductor``: its compute service forced down. None when
    another conductor fenced it first."""
    try:
        with session.transaction() as s:
            fence = models.HostFence(host=host, fenced_at=utcnow(), fenced_by=conductor,
                                     outcome="")
            s.add(fence)
            s.flush()
            s.execute(sa.update(models.Service)
                      .where(models.Service.host == host,
                             models.Service.binary == COMPUTE_BINARY)
                      .values(forced_down=True)
                      .execution_options(synchronize_session=False))
            return from_row(FenceRecord, fence)
    except sa_exc.IntegrityError:
        return None


def record_outcome(ctxt: Context, host: str, outcome: str) -> None:
    with session.transaction() as s:
        s.execute(sa.update(models.HostFence).where(models.HostFence.host == host)
                  .values(outcome=outcome[:255])
                  .execution_options(synchronize_session=False))


def list_fences(ctxt: Context) -> dict[str, FenceRecord]:
    with session.reader() as s:
        return {row.host: from_row(FenceRecord, row)
                for row in s.scalars(sa.select(models.HostFence))}


def lift(ctxt: Context, host: str, fenced_at: datetime.datetime) -> bool:
    """The host is back: remove its fence (only the one read at ``fenced_at``) and
    its forced-down mark. False when the fence changed or went meanwhile."""
    with session.transaction() as s:
        removed = session.rowcount(s.execute(
            sa.delete(models.HostFence).where(models.HostFence.host == host,
                                              models.HostFence.fenced_at == fenced_at)))
        if removed:
            s.execute(sa.update(models.Service)
                      .where(models.Service.host == host,
                             models.Service.binary == COMPUTE_BINARY)
                      .values(forced_down=False)
                      .execution_options(synchronize_session=False))
        return removed > 0

"""Keypairs, owned by a user (not a project), unique by name per user. An admin may
act on another user's keypairs, so the user is named beside the context."""
import dataclasses
import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from common import context, exceptions
from common.db import models, session
from common.db.api.records import from_row

KeyPair = models.KeyPair
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class KeyPairRecord:
    id: int
    name: str
    user_id: str
    fingerprint: str
    public_key: str
    type: str
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def create(ctxt: Context, user_id: str, name: str, public_key: str, fingerprint: str,
           key_type: str = "ssh") -> KeyPairRecord:
    try:
        with session.transaction() as s:
            keypair = KeyPair(user_id=user_id, name=name, public_key=public_key,
                              fingerprint=fingerprint, type=key_type)
            s.add(keypair)
            s.flush()
            return from_row(KeyPairRecord, keypair)
    except sa_exc.IntegrityError as error:
        raise exceptions.KeypairExists(name=name) from error


def get(ctxt: Context, user_id: str, name: str) -> KeyPairRecord:
    with session.reader() as s:
        keypair = s.scalars(sa.select(KeyPair).filter_by(user_id=user_id,
                                                         name=name)).one_or_none()
        if keypair is None:
            raise exceptions.KeypairNotFound(name=name, user_id=user_id)
        return from_row(KeyPairRecord, keypair)


def list_keypairs(ctxt: Context, user_id: str, limit: int | None = None,
                  marker: str | None = None) -> list[KeyPairRecord]:
    """A user's keypairs by name; ``marker`` is a keypair name (2.35 paging)."""
    query = sa.select(KeyPair).filter_by(user_id=user_id).order_by(KeyPair.name)
    with session.reader() as s:
        if marker is not None:
            if s.scalar(sa.select(KeyPair.id).filter_by(user_id=user_id, name=marker)) is None:
                raise exceptions.BadRequest(f"marker [{marker}] not found")
            query = query.where(KeyPair.name > marker)
        if limit is not None:
            query = query.limit(limit)
        return [from_row(KeyPairRecord, row) for row in s.scalars(query)]


def count(ctxt: Context, user_id: str) -> int:
    with session.reader() as s:
        return s.scalar(sa.select(sa.func.count()).where(KeyPair.user_id == user_id)) or 0


def delete(ctxt: Context, user_id: str, name: str) -> None:
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(
            sa.delete(KeyPair).filter_by(user_id=user_id, name=name)))
    if not deleted:
        raise exceptions.KeypairNotFound(name=name, user_id=user_id)

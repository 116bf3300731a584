"""Application credentials: a named secret that acts as its user in one project."""
import dataclasses
import datetime

import sqlalchemy as sa

from common import context, exceptions
from common.db import models, session
from common.db.api import identity_revocations as revocations
from common.db.api import paging
from common.db.api.identity import flush_unique, get_row, hash_password, new_id
from common.db.api.records import from_row

Context = context.RequestContext
_Credential = models.ApplicationCredential


@dataclasses.dataclass(frozen=True)
class CredentialRecord:
    id: str
    name: str
    user_id: str
    project_id: str
    secret_hash: str
    description: str | None
    expires_at: datetime.datetime | None
    unrestricted: bool
    roles: list[str]


def _record(credential: _Credential) -> CredentialRecord:
    return from_row(CredentialRecord, credential, roles=list(credential.roles or []))


def create(ctxt: Context, user_id: str, name: str, secret: str, role_ids: list[str],
           description: str | None = None, expires_at: datetime.datetime | None = None,
           unrestricted: bool = False) -> CredentialRecord:
    """A credential of ``user_id`` in the context's project."""
    hashed = hash_password(secret)  # outside the transaction: bcrypt is slow on purpose
    with session.transaction() as s:
        get_row(s, models.User, user_id, "user")
        credential = _Credential(
            id=new_id(), name=name, user_id=user_id, project_id=ctxt.scoped_project_id,
            secret_hash=hashed, description=description, expires_at=expires_at,
            unrestricted=unrestricted, roles=list(role_ids))
        s.add(credential)
        flush_unique(s, "application credential", name)
        return _record(credential)


def _not_found(ref: str) -> exceptions.NotFound:
    return exceptions.NotFound(f"Could not find Application Credential: {ref}.")


def get(ctxt: Context, credential_id: str, user_id: str | None = None) -> CredentialRecord:
    """The credential (of ``user_id`` when given: the users/{id} path names its owner)."""
    with session.reader() as s:
        credential = s.get(_Credential, credential_id)
        if credential is None or (user_id and credential.user_id != user_id):
            raise _not_found(credential_id)
        return _record(credential)


def find(ctxt: Context, user_id: str, name: str) -> CredentialRecord:
    with session.reader() as s:
        credential = s.scalars(sa.select(_Credential).filter_by(
            user_id=user_id, name=name)).one_or_none()
        if credential is None:
            raise _not_found(name)
        return _record(credential)


def list_for_user(ctxt: Context, user_id: str, name: str | None = None,
                  limit: int | None = None,
                  marker: str | None = None) -> list[CredentialRecord]:
    query = sa.select(_Credential).filter_by(user_id=user_id)
    if name is not None:
        query = query.filter_by(name=name)
    with session.reader() as s:
        return [_record(row) for row in paging.page(s, query, _Credential, limit, marker)]


def delete(ctxt: Context, credential_id: str, user_id: str) -> None:
    """Delete the credential and revoke the tokens it issued, in one transaction."""
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(sa.delete(_Credential).filter_by(
            id=credential_id, user_id=user_id)))
        if not deleted:
            raise _not_found(credential_id)
        revocations.record(s, app_cred_id=credential_id)

"""Application credentials: a named secret that acts as its user in one project."""
import datetime

import sqlalchemy as sa

from common import exceptions
from common.db import models, session
from common.db.api import identity_revocations as revocations
from common.db.api import paging
from common.db.api.identity import flush_unique, get_row, hash_password, new_id


def create(user_id: str, project_id: str, name: str, secret: str, role_ids: list[str],
           description: str | None = None, expires_at: datetime.datetime | None = None,
           unrestricted: bool = False) -> models.ApplicationCredential:
    hashed = hash_password(secret)  # outside the transaction: bcrypt is slow on purpose
    with session.transaction() as s:
        get_row(s, models.User, user_id, "user")
        credential = models.ApplicationCredential(
            id=new_id(), name=name, user_id=user_id, project_id=project_id,
            secret_hash=hashed, description=description, expires_at=expires_at,
            unrestricted=unrestricted, roles=list(role_ids))
        s.add(credential)
        flush_unique(s, "application credential", name)
        return credential


def get(credential_id: str, user_id: str | None = None) -> models.ApplicationCredential:
    with session.reader() as s:
        credential = s.get(models.ApplicationCredential, credential_id)
    if credential is None or (user_id and credential.user_id != user_id):
        raise exceptions.NotFound(f"Could not find Application Credential: "
                                  f"{credential_id}.")
    return credential


def find(user_id: str, name: str) -> models.ApplicationCredential:
    with session.reader() as s:
        credential = s.scalars(sa.select(models.ApplicationCredential).filter_by(
            user_id=user_id, name=name)).one_or_none()
    if credential is None:
        raise exceptions.NotFound(f"Could not find Application Credential: {name}.")
    return credential


def list_for_user(user_id: str, name: str | None = None, limit: int | None = None,
                  marker: str | None = None) -> list[models.ApplicationCredential]:
    query = sa.select(models.ApplicationCredential).filter_by(user_id=user_id)
    if name is not None:
        query = query.filter_by(name=name)
    with session.reader() as s:
        return paging.page(s, query, models.ApplicationCredential, limit, marker)


def delete(credential_id: str, user_id: str) -> None:
    get(credential_id, user_id)
    with session.transaction() as s:
        s.execute(sa.delete(models.ApplicationCredential).filter_by(id=credential_id))
        revocations.record(s, app_cred_id=credential_id)

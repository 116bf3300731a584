"""Fernet tokens: what a token carries and how it is sealed and opened.

The payload is a msgpack list small enough for a header (about 200 characters once
sealed): user, auth methods, scope, issue and expiry times (microseconds, so a
revocation at time T spares a token issued right after it), audit ids and the
application credential. Validating a token needs no database read: everything here
comes from the token itself.
"""
import base64
import datetime
import os
import time
from dataclasses import dataclass, field

import msgpack
from cryptography import fernet

from common import exceptions
from common.fernet_keys import KeyRing

VERSION = 1
METHODS = ("password", "token", "application_credential")
SCOPES = ("unscoped", "project", "domain", "system")


@dataclass(frozen=True)
class Token:
    user_id: str
    methods: tuple[str, ...]
    expires_at: float
    issued_at: float = field(default_factory=time.time)
    audit_ids: tuple[str, ...] = ()
    scope: str = "unscoped"
    scope_id: str | None = None
    app_cred_id: str | None = None

    @property
    def project_id(self) -> str | None:
        return self.scope_id if self.scope == "project" else None

    @property
    def domain_id(self) -> str | None:
        return self.scope_id if self.scope == "domain" else None

    @property
    def system(self) -> bool:
        return self.scope == "system"

    @property
    def expired(self) -> bool:
        return self.expires_at <= time.time()


def new_audit_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")


def isotime(timestamp: float) -> str:
    """Keystone's timestamp format: microseconds and a Z."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _pack_id(value: str | None) -> bytes | str | None:
    # A lower-case hex id (every id Strato makes) packs to 16 bytes; anything else,
    # such as the "default" domain, stays a string so it comes back unchanged.
    if value and len(value) == 32 and value == value.lower():
        try:
            return bytes.fromhex(value)
        except ValueError:
            pass
    return value


def _unpack_id(value: bytes | str | None) -> str | None:
    return value.hex() if isinstance(value, bytes) else value


def _methods_mask(methods: tuple[str, ...]) -> int:
    return sum(1 << METHODS.index(m) for m in set(methods))


def _mask_methods(mask: int) -> tuple[str, ...]:
    return tuple(m for i, m in enumerate(METHODS) if mask & (1 << i))


class TokenFormatter:
    def __init__(self, keys: KeyRing) -> None:
        self.keys = keys

    def seal(self, token: Token) -> str:
        payload = msgpack.packb([
            VERSION, _pack_id(token.user_id), _methods_mask(token.methods),
            SCOPES.index(token.scope), _pack_id(token.scope_id),
            round(token.issued_at, 6), round(token.expires_at, 6),
            list(token.audit_ids), _pack_id(token.app_cred_id)])
        return self.keys.get().encrypt(payload).decode().rstrip("=")

    def open(self, sealed: str) -> Token:
        """The token inside ``sealed``; Unauthorized if it is not ours or has expired."""
        try:
            padded = sealed + "=" * (-len(sealed) % 4)
            fields = msgpack.unpackb(self.keys.get().decrypt(padded.encode()))
            (version, user_id, methods, scope, scope_id, issued_at, expires_at,
             audit_ids, app_cred_id) = fields
        except (fernet.InvalidToken, ValueError, TypeError, UnicodeError,
                msgpack.UnpackException) as e:
            raise exceptions.Unauthorized("The request you have made requires "
                                          "authentication.") from e
        if version != VERSION:
            raise exceptions.Unauthorized("Unsupported token version.")
        user = _unpack_id(user_id)
        if not user:
            raise exceptions.Unauthorized("The token names no user.")
        token = Token(user_id=user, methods=_mask_methods(methods),
                      scope=SCOPES[scope], scope_id=_unpack_id(scope_id),
                      issued_at=issued_at, expires_at=expires_at,
                      audit_ids=tuple(audit_ids), app_cred_id=_unpack_id(app_cred_id))
        if token.expired:
            raise exceptions.Unauthorized("The token has expired.")
        return token

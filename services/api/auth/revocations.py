"""This process's list of revocation events and the check of a token against it.

The list is read from the database at most every ``[identity] revocation_cache_time``
seconds, or at once when the stamp file in the key repository changed (a revocation
was committed on this host, possibly by another worker).
"""
import datetime
import os
import threading
import time

from common import context
from common.config import CONF
from common.db.api import identity_revocations as revocations_db
from common.db.types import utcnow
from services.api.auth.tokens import Token


def _epoch(moment: datetime.datetime) -> float:
    return moment.replace(tzinfo=datetime.UTC).timestamp()


class RevocationList:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_at = float("-inf")
        self._stamp: int | None = None
        self._audit_ids: set[str] = set()
        # (field, value) -> latest issued_before (epoch seconds)
        self._cutoffs: dict[tuple[str, str | None], float] = {}

    def is_revoked(self, token: Token) -> bool:
        self._refresh()
        if self._audit_ids and not self._audit_ids.isdisjoint(token.audit_ids[:1]):
            return True
        for key in (("user_id", token.user_id), ("project_id", token.project_id),
                    ("domain_id", token.domain_id), ("app_cred_id", token.app_cred_id)):
            cutoff = self._cutoffs.get(key)
            if cutoff is not None and token.issued_at <= cutoff:
                return True
        return False

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")

    def _stamp_mtime(self) -> int | None:
        try:
            return os.stat(revocations_db.stamp_path()).st_mtime_ns
        except FileNotFoundError:
            return None

    def _refresh(self) -> None:
        stamp = self._stamp_mtime()
        fresh = time.monotonic() - self._loaded_at < CONF.identity.revocation_cache_time
        if fresh and stamp == self._stamp:
            return
        with self._lock:
            since = utcnow() - datetime.timedelta(seconds=CONF.identity.token_expiration)
            audit_ids: set[str] = set()
            cutoffs: dict[tuple[str, str | None], float] = {}
            for event in revocations_db.list_events(context.get_admin_context(), since):
                if event.audit_id:
                    audit_ids.add(event.audit_id)
                    continue
                for name in ("user_id", "project_id", "domain_id", "app_cred_id"):
                    value = getattr(event, name)
                    if value:
                        key = (name, value)
                        cutoffs[key] = max(cutoffs.get(key, 0.0), _epoch(event.issued_before))
            self._audit_ids, self._cutoffs = audit_ids, cutoffs
            self._stamp = stamp
            self._loaded_at = time.monotonic()

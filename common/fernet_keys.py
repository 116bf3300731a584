"""The Fernet key repository: files named 0 (staged), 1..N-1 (secondaries), N (primary).

Rotation promotes the staged key to primary and writes a new staged key, so every node
that synced the repository before the rotation already knows the new primary; tokens
made with a former primary keep validating while it is a secondary. The api processes
reload the keys when the directory changes (checked at most once a second).
"""
import os
import threading
import time

from cryptography import fernet

from common import exceptions

CHECK_INTERVAL = 1.0


def _key_files(path: str) -> dict[int, str]:
    if not os.path.isdir(path):
        return {}
    return {int(name): os.path.join(path, name) for name in os.listdir(path)
            if name.isdigit()}


def _write_key(path: str, index: int) -> None:
    target = os.path.join(path, str(index))
    temporary = target + ".tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(fernet.Fernet.generate_key())
    os.replace(temporary, target)  # readers never see a half-written key


def setup(path: str) -> bool:
    """Create a staged and a primary key unless keys exist; True if it created them."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    if _key_files(path):
        return False
    _write_key(path, 0)
    _write_key(path, 1)
    return True


def rotate(path: str, max_active_keys: int) -> int:
    """Promote the staged key, stage a new one, drop the oldest secondaries.

    Returns the index of the new primary key.
    """
    files = _key_files(path)
    if not files:
        raise exceptions.NotFound(f"No Fernet keys in {path}: run 'strato-manage fernet "
                                  "setup' first.")
    primary = max(files) + 1
    os.replace(files[0], os.path.join(path, str(primary)))
    _write_key(path, 0)
    secondaries = sorted(i for i in files if i != 0)
    for index in secondaries[:max(0, len(secondaries) + 2 - max_active_keys)]:
        os.remove(files[index])
    return primary


def load(path: str) -> list[bytes]:
    """Keys with the primary first, then the others newest first (staged last)."""
    files = _key_files(path)
    keys = []
    for index in sorted(files, key=lambda i: (i == 0, -i)):
        with open(files[index], "rb") as f:
            keys.append(f.read().strip())
    return keys


class KeyRing:
    """This process's MultiFernet over the repository, reloaded when the files change."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fernet: fernet.MultiFernet | None = None
        self._signature: tuple = ()
        self._checked = 0.0

    def get(self) -> fernet.MultiFernet:
        now = time.monotonic()
        if self._fernet is None or now - self._checked > CHECK_INTERVAL:
            with self._lock:
                self._checked = now
                signature = self._stat()
                if self._fernet is None or signature != self._signature:
                    keys = load(self.path)
                    if not keys:
                        raise exceptions.StratoError(
                            f"No Fernet keys in {self.path}: run 'strato-manage fernet "
                            "setup' or 'strato-manage bootstrap'.")
                    self._fernet = fernet.MultiFernet([fernet.Fernet(k) for k in keys])
                    self._signature = signature
        return self._fernet

    def _stat(self) -> tuple:
        files = _key_files(self.path)
        return tuple(sorted((i, os.stat(p).st_mtime_ns) for i, p in files.items()))

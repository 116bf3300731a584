"""The built-in server's store: one file per zone in [dns] zone_dir.

``<zone>.zone`` (``example.org.zone``) is the zone's master file; ``<zone>.forward``
lists the resolvers (``address:port``, one a line) of a forward zone. The server serves
what the files say and rereads a file that changed on disk (at most once a second), so
a hand edit shows until the reconciler writes the database's version back.
"""
import os
import tempfile
import threading
import time

import dns.exception
import dns.name
from oslo_log import log as logging

from services.dns import zonedata
from services.dns.backends.builtin import answer

LOG = logging.getLogger(__name__)
# A zone file read: an authoritative zone, a forward zone's resolvers, or unusable.
Parsed = answer.ServedZone | list[answer.Server] | None

ZONE, FORWARD = "zone", "forward"
RESCAN_SECONDS = 1.0


class ZoneStore:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._scanned_at = 0.0
        self._files: dict[str, tuple[tuple[int, int], Parsed]] = {}  # file -> (stat, parsed)
        self._catalog = answer.Catalog()

    # -- files --

    def _path(self, name: str, kind: str) -> str:
        return os.path.join(self.directory, name + kind)

    def _entries(self) -> list[tuple[str, str, str]]:
        """(file name, zone name, kind) of every store file."""
        try:
            files = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        entries = []
        for filename in files:
            for kind in (ZONE, FORWARD):
                if not filename.startswith(".") and filename.endswith("." + kind):
                    entries.append((filename, filename[:-len(kind)], kind))
        return entries

    def names(self) -> set[str]:
        """Every zone the store holds, of either kind."""
        return {name for _file, name, _kind in self._entries()}

    def read(self, name: str, kind: str = ZONE) -> str | None:
        try:
            with open(self._path(name, kind)) as f:
                return f.read()
        except FileNotFoundError:
            return None

    def write(self, name: str, text: str, kind: str = ZONE) -> None:
        """Replace the zone's file atomically (and drop its file of the other kind)."""
        os.makedirs(self.directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", dir=self.directory)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, self._path(name, kind))
        self._unlink(name, FORWARD if kind == ZONE else ZONE)
        self.invalidate()

    def read_forward(self, name: str) -> list[str] | None:
        text = self.read(name, FORWARD)
        return None if text is None else text.split()

    def write_forward(self, name: str, servers: list[str]) -> None:
        self.write(name, "".join(server + "\n" for server in servers), FORWARD)

    def remove(self, name: str) -> None:
        for kind in (ZONE, FORWARD):
            self._unlink(name, kind)
        self.invalidate()

    def _unlink(self, name: str, kind: str) -> None:
        try:
            os.unlink(self._path(name, kind))
        except FileNotFoundError:
            pass

    # -- what the server serves --

    def invalidate(self) -> None:
        """Rescan on the next lookup (the agent wrote a file)."""
        self._scanned_at = 0.0

    def catalog(self) -> answer.Catalog:
        """The zones as the files say now (rescanned at most once a second)."""
        with self._lock:
            if time.monotonic() - self._scanned_at >= RESCAN_SECONDS:
                self._catalog = self._scan()
                self._scanned_at = time.monotonic()
            return self._catalog

    def _scan(self) -> answer.Catalog:
        files = {}
        catalog = answer.Catalog()
        for filename, name, kind in self._entries():
            try:
                stat = os.stat(os.path.join(self.directory, filename))
            except FileNotFoundError:
                continue
            key = (stat.st_mtime_ns, stat.st_size)
            cached = self._files.get(filename)
            parsed = cached[1] if cached and cached[0] == key else self._load(name, kind)
            files[filename] = (key, parsed)
            if isinstance(parsed, answer.ServedZone):
                catalog.zones[parsed.origin] = parsed
            elif parsed is not None:
                catalog.forwards[dns.name.from_text(name)] = parsed
        self._files = files
        return catalog

    def _load(self, name: str, kind: str) -> "Parsed":
        text = self.read(name, kind)
        if text is None:
            return None
        try:
            if kind == FORWARD:
                return [zonedata.server(line) for line in text.split()]
            return answer.ServedZone(zonedata.parse(name, text))
        except (dns.exception.DNSException, ValueError) as error:
            # Not served until the reconciler writes it back.
            LOG.warning("zone file of %s is unusable: %s", name, error)
            return None

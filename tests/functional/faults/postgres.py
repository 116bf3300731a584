"""A PostgreSQL server of the test's own (initdb in a temp dir, a free port), so a test
can stop and restart it without touching the machine's server or a running stack."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile

from tests import backends
from tests.functional import fixtures

# PostgreSQL refuses to run as root: the cluster belongs to this user.
OWNER = "postgres"


def _bin_dir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        backends.backend_missing("PostgreSQL server binaries (apt install postgresql)")
    return os.path.dirname(found[-1])


class PrivatePostgres:
    def __init__(self) -> None:
        self.bin_dir = _bin_dir()
        try:
            self.owner = pwd.getpwnam(OWNER)
        except KeyError:
            backends.backend_missing(f"no {OWNER} user to own a PostgreSQL cluster")
        self.path = tempfile.mkdtemp(prefix="strato-pg-")
        os.chown(self.path, self.owner.pw_uid, self.owner.pw_gid)
        self.data_dir = os.path.join(self.path, "data")
        self.port = fixtures.free_port()
        self.url = f"postgresql+psycopg2://{OWNER}@127.0.0.1:{self.port}/"

    def _run(self, *argv: str, timeout: float = 120) -> None:
        command = [os.path.join(self.bin_dir, argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OWNER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL, cwd=self.path)
        if result.returncode:
            raise AssertionError(f"{' '.join(argv)} exited {result.returncode}: "
                                 f"{result.stdout}{result.stderr}")

    def create(self) -> None:
        self._run("initdb", "-D", self.data_dir, "-A", "trust", "-U", OWNER,
                  "--no-sync")
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as f:
            f.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.path}'\nfsync = off\n"
                    "max_connections = 200\n")
        self.start()

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data_dir, "-l", os.path.join(self.path, "log"),
                  "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: the server ends every session at once, as a crash would."""
        self._run("pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop")

    def cleanup(self) -> None:
        if os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            self._run("pg_ctl", "-D", self.data_dir, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.path, ignore_errors=True)

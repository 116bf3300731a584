"""Real DNS backends for the tests: a private BIND (named) and an OVN northbound
ovsdb-server, each in its own directory on its own loopback port or socket, started in
the foreground and stopped by pid. Missing binaries skip the test (fixtures.backend_missing).
"""
import base64
import os
import shutil
import subprocess

import dns.exception

from services.dns import xfr
from tests.functional import fixtures

NAMED = "/usr/sbin/named"
NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"
TSIG_NAME = "strato"
TSIG_ALGORITHM = "hmac-sha256"


class _Daemon:
    """A foreground process with its output in ``log``; stopped by its pid."""

    popen: subprocess.Popen | None = None

    def _spawn(self, argv: list[str], log: str) -> None:
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                          stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


class Named(_Daemon):
    """named with ``allow-new-zones``, a TSIG key for Strato and an rndc channel."""

    def __init__(self, directory: str) -> None:
        if not os.path.exists(NAMED) or shutil.which("rndc") is None:
            fixtures.backend_missing(f"{NAMED} or rndc is not installed (apt install bind9)")
        self.directory = directory
        self.zone_dir = os.path.join(directory, "zones")
        os.makedirs(self.zone_dir, exist_ok=True)
        self.port = fixtures.free_port()
        self.rndc_port = fixtures.free_port()
        self.secret = base64.b64encode(os.urandom(32)).decode()
        self.rndc_config = os.path.join(directory, "rndc.conf")
        self.tsig = xfr.Tsig(TSIG_NAME, TSIG_ALGORITHM, self.secret)

    def options(self) -> dict[str, object]:
        """The [dns] options that point the bind9 backend at this named."""
        return {"bind9_host": "127.0.0.1", "bind9_port": self.port,
                "bind9_tsig_key_name": TSIG_NAME, "bind9_tsig_algorithm": TSIG_ALGORITHM,
                "bind9_tsig_secret": self.secret, "bind9_rndc_config": self.rndc_config,
                "bind9_zone_dir": self.zone_dir}

    def start(self) -> None:
        conf = os.path.join(self.directory, "named.conf")
        keys = (f'key "{TSIG_NAME}" {{ algorithm {TSIG_ALGORITHM}; secret "{self.secret}"; }};\n'
                f'key "rndc-key" {{ algorithm {TSIG_ALGORITHM}; secret "{self.secret}"; }};\n')
        with open(conf, "w") as f:
            f.write(keys + f"""
controls {{ inet 127.0.0.1 port {self.rndc_port} allow {{ 127.0.0.1; }} keys {{ "rndc-key"; }}; }};
options {{
  directory "{self.directory}";
  pid-file "{self.directory}/named.pid";
  session-keyfile "{self.directory}/session.key";
  listen-on port {self.port} {{ 127.0.0.1; }};
  listen-on-v6 {{ none; }};
  recursion no;
  allow-new-zones yes;
  dnssec-validation no;
}};
""")
        with open(self.rndc_config, "w") as f:
            f.write(keys.splitlines()[1] + "\n" + f'options {{ default-server 127.0.0.1; '
                    f'default-port {self.rndc_port}; default-key "rndc-key"; }};\n')
        self._spawn([NAMED, "-g", "-c", conf], os.path.join(self.directory, "named.log"))
        fixtures.wait_until(self._answers, 30, "named answering rndc status")

    def _answers(self) -> bool:
        if self.popen.poll() is not None:
            raise AssertionError(f"named exited {self.popen.returncode}: see "
                                 f"{self.directory}/named.log")
        return subprocess.run(["rndc", "-c", self.rndc_config, "status"], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=10).returncode == 0

    def serial(self, zone: str) -> int | None:
        try:
            return xfr.soa_serial(zone, "127.0.0.1", self.port, 2, self.tsig)
        except dns.exception.DNSException:
            return None


class NorthboundDB(_Daemon):
    """An OVN_Northbound ovsdb-server on a unix socket."""

    def __init__(self, directory: str) -> None:
        if shutil.which("ovsdb-server") is None or not os.path.exists(NB_SCHEMA):
            fixtures.backend_missing("ovsdb-server or the OVN NB schema is not installed")
        self.directory = directory
        self.socket = os.path.join(directory, "nb.sock")
        self.remote = f"unix:{self.socket}"

    def start(self) -> None:
        db = os.path.join(self.directory, "nb.db")
        subprocess.run(["ovsdb-tool", "create", db, NB_SCHEMA], check=True, capture_output=True)
        self._spawn(["ovsdb-server", "--no-chdir", f"--remote=punix:{self.socket}",
                     f"--unixctl={self.directory}/nb.ctl",
                     f"--log-file={self.directory}/nb.log", db],
                    os.path.join(self.directory, "nb.out"))
        fixtures.wait_until(lambda: os.path.exists(self.socket), 30, "NB socket")
        self.nbctl("--no-wait", "init")

    def nbctl(self, *args: str) -> str:
        return subprocess.run(["ovn-nbctl", f"--db={self.remote}", "--timeout=30", *args],
                              check=True, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL).stdout

"""Fixtures of the functional tests: real databases, a private RabbitMQ vhost, real services.

Everything a functional test starts lives in its own temp state dir, talks to the broker
on its own vhost (never "/", where a running stack's services listen) and is stopped by
pid when the test class ends. Backends that do not answer skip the test, unless
STRATO_TEST_REQUIRE_BACKENDS is set (.ci/run sets it): then they fail it.
"""
import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
from collections.abc import Callable, Iterator

import oslo_messaging as messaging
import sqlalchemy as sa

from common import config, rpc
from common.config import CONF
from tests import tables
from tests.backends import backend_missing

POSTGRES_URL = os.environ.get("STRATO_TEST_POSTGRES_URL",
                              "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
MYSQL_URL = os.environ.get("STRATO_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/")
RABBIT_URL = os.environ.get("STRATO_TEST_RABBIT_URL", "rabbit://guest:guest@127.0.0.1:5672/")
RABBITMQCTL = os.environ.get("STRATO_TEST_RABBITMQCTL", "rabbitmqctl")

# binary -> (RPC topic, module whose main() runs it, agent?)
SERVICES = {
    "strato-api": ("api", "services.api.cmd", False),
    "strato-scheduler": ("scheduler", "services.scheduler.cmd", False),
    "strato-conductor": ("conductor", "services.conductor.cmd", False),
    "strato-compute": ("compute", "services.compute.cmd", True),
    "strato-network": ("network", "services.network.cmd", True),
    "strato-dns": ("dns", "services.dns.cmd", True),
}
AGENTS = tuple(binary for binary, (_t, _m, agent) in SERVICES.items() if agent)

# Runs an agent in a process where importing the database layer fails, so any code path
# that reaches for the database crashes the agent instead of quietly working.
_NO_DATABASE_MAIN = (
    "import sys; sys.modules['sqlalchemy'] = None; sys.modules['common.db'] = None; "
    "from {module} import main; sys.argv[0] = '{binary}'; main()"
)

STOP_TIMEOUT = 15.0
# Liveness timing of every Deployment: fast heartbeats so down/up shows in seconds.
REPORT_INTERVAL = 1
SERVICE_DOWN_TIME = 4


def unique_name(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], timeout: float, what: str,
               interval: float = 0.2) -> object:
    """Poll ``predicate`` until it returns something true; raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not true within {timeout}s")
        time.sleep(interval)


def console_script(name: str) -> str:
    """The console script installed beside the running interpreter (the tox venv's)."""
    path = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed: pip install -e . first")
    return path


# --- databases -----------------------------------------------------------------------

DATABASES = ("sqlite", "postgresql", "mysql")
SERVER_URLS = {"postgresql": POSTGRES_URL, "mysql": MYSQL_URL}


def create_scratch_database(server_url: str) -> tuple[str, Callable[[], None]]:
    """Create a uniquely named database on ``server_url`` (a backend missing if it does
    not answer). Returns the new database's URL and the function that drops it."""
    url = sa.engine.make_url(server_url)
    # No pool: a pooled connection would not outlive a test's restart of the server.
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool,
                             connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        admin.dispose()
        backend_missing(f"{url.get_backend_name()} at {url.host}:{url.port} does not "
                        f"answer: {error.orig}")
    name = unique_name("strato_test_")
    drop = f"DROP DATABASE IF EXISTS {name}"
    if url.get_backend_name() == "postgresql":
        drop += " WITH (FORCE)"  # a leaked connection must not keep it alive
    _execute(admin, f"CREATE DATABASE {name}")

    def drop_database() -> None:
        _execute(admin, drop)
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop_database


def scratch_database(testcase: unittest.TestCase, server_url: str) -> str:
    """Create a uniquely named database on ``server_url``; drop it when the test ends.

    Returns the URL of the new database.
    """
    url, drop = create_scratch_database(server_url)
    testcase.addCleanup(drop)
    return url


def _execute(engine: sa.Engine, statement: str) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text(statement))


# --- RabbitMQ --------------------------------------------------------------------------

class RabbitVhost:
    """A private vhost for guest, so tests never meet a running stack's queues.

    ``broker`` is another broker's (url, rabbitmqctl argv) instead of RABBIT_URL's."""

    def __init__(self, broker: tuple[str, list[str]] | None = None) -> None:
        self.name = unique_name("strato-test-")
        self.created = False
        self.url, self.ctl_argv = broker or (RABBIT_URL, [RABBITMQCTL])

    @property
    def transport_url(self) -> str:
        return self.url.rstrip("/") + "/" + self.name

    def create(self) -> None:
        if shutil.which(self.ctl_argv[0]) is None:
            backend_missing(f"{self.ctl_argv[0]} is not installed: no RabbitMQ to test with")
        try:
            self._ctl("add_vhost", self.name)
        except subprocess.CalledProcessError as error:
            backend_missing(f"RabbitMQ does not answer rabbitmqctl: {error.stderr.strip()}")
        self.created = True
        self._ctl("set_permissions", "-p", self.name, "guest", ".*", ".*", ".*")

    def delete(self) -> None:
        if self.created:
            self._ctl("delete_vhost", self.name)
            self.created = False

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.ctl_argv, "-q", *args], check=True, capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, timeout=60)


# --- service processes -----------------------------------------------------------------

class ServiceProcess:
    """One service process with its output in ``log_path``; stopped by its pid."""

    def __init__(self, name: str, argv: list[str], log_path: str, cwd: str) -> None:
        self.name = name
        self.argv = argv
        self.log_path = log_path
        with open(log_path, "ab") as log:
            # A session of its own, so SIGKILL can reach gunicorn's workers by process
            # group (the group id is the pid we started).
            self.popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=cwd, start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def send_sigterm(self) -> None:
        if self.running():
            os.kill(self.pid, signal.SIGTERM)

    def wait(self, timeout: float) -> int | None:
        """The exit status, or None when still running after ``timeout`` seconds."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def terminate(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM; return the exit status, or None when it did not exit in ``timeout``."""
        self.send_sigterm()
        return self.wait(timeout)

    def kill(self) -> int:
        """SIGKILL the process and whatever it forked (its process group)."""
        # Only while our child is unreaped: until then its pid (the group id) cannot
        # have been reused by a process we did not start.
        if self.popen.returncode is None:
            os.killpg(self.pid, signal.SIGKILL)
        return self.popen.wait()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL when it is not gone after STOP_TIMEOUT."""
        stop_all([self])

    def log_tail(self, lines: int = 30) -> str:
        with open(self.log_path, errors="replace") as log:
            return "".join(log.readlines()[-lines:])

    def errors(self) -> list[str]:
        """The ERROR lines of its log."""
        with open(self.log_path, errors="replace") as log:
            return [line for line in log if " ERROR " in line]


def stop_all(processes: list[ServiceProcess]) -> None:
    """SIGTERM every process at once, then SIGKILL those not gone after STOP_TIMEOUT."""
    for process in processes:
        process.send_sigterm()
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in processes:
        if process.wait(max(deadline - time.monotonic(), 0)) is None:
            process.kill()


class Deployment:
    """A private Strato: state dir, vhost, config files, a migrated database, processes.

    ``strato.conf`` is what every service reads; ``strato-db.conf`` holds only
    ``[database] connection`` and is given to the control services alone. ``database``
    is one of DATABASES: a SQLite file in the state dir, or a scratch database on the
    PostgreSQL or MariaDB server of STRATO_TEST_POSTGRES_URL / STRATO_TEST_MYSQL_URL.
    """

    def __init__(self, database: str = "sqlite", server_url: str | None = None,
                 broker: tuple[str, list[str]] | None = None) -> None:
        """``server_url``: the server of a scratch database (default: ``database``'s
        entry in SERVER_URLS); ``broker``: see RabbitVhost."""
        self.database = database
        self.server_url = server_url or SERVER_URLS.get(database, "")
        self.database_url = ""
        self._drop_database: Callable[[], None] | None = None
        self.host = unique_name("test-")
        self.state_path = tempfile.mkdtemp(prefix="strato-functional-")
        self.log_dir = os.path.join(self.state_path, "log")
        os.makedirs(self.log_dir)
        self.vhost = RabbitVhost(broker)
        self.config_file = os.path.join(self.state_path, "strato.conf")
        self.db_config_file = os.path.join(self.state_path, "strato-db.conf")
        # The network agent's northbound: private, never the running stack's.
        self.ovn_nb_socket = os.path.join(self.state_path, "ovnnb_db.sock")
        self.processes: list[ServiceProcess] = []

    def setup(self) -> None:
        self.vhost.create()
        self.write_config(self.host, self.config_file)
        if self.database == "sqlite":
            self.database_url = f"sqlite:///{os.path.join(self.state_path, 'strato.sqlite')}"
        else:
            self.database_url, self._drop_database = create_scratch_database(
                self.server_url)
        with open(self.db_config_file, "w") as f:
            f.write(f"[database]\nconnection = {self.database_url}\n")
        self.manage("db", "sync")

    def cleanup(self) -> None:
        # Agents first: an agent whose conductor is gone waits on its heartbeat call.
        stop_all(self.processes[::-1])
        self.processes.clear()
        if self._drop_database is not None:
            self._drop_database()
            self._drop_database = None
        shutil.rmtree(self.state_path, ignore_errors=True)
        self.vhost.delete()

    def write_config(self, host: str, path: str) -> str:
        """Write a strato.conf for ``host`` (its own ports) to ``path``."""
        with open(path, "w") as f:
            f.write(f"""[DEFAULT]
state_path = {self.state_path}
transport_url = {self.vhost.transport_url}
host = {host}
report_interval = {REPORT_INTERVAL}
service_down_time = {SERVICE_DOWN_TIME}
graceful_shutdown_timeout = 5

[api]
bind_port = {free_port()}
workers = 1

[dns]
listen_port = {free_port()}

[network]
ovn_nb_connection = unix:{self.ovn_nb_socket}
""")
        return path

    def host_config(self, host: str) -> str:
        """A strato.conf for another host of the same deployment."""
        return self.write_config(host, os.path.join(self.state_path, f"{host}.conf"))

    # -- processes --

    def start(self, binary: str, host: str | None = None,
              without_database: bool = False) -> ServiceProcess:
        """Start ``binary`` (as ``host``); agents get only strato.conf, control services
        strato.conf and strato-db.conf. ``without_database`` runs an agent where the
        database layer cannot even be imported.
        """
        _topic, module, agent = SERVICES[binary]
        config_file = self.config_file if host is None else self.host_config(host)
        args = ["--config-file", config_file]
        if not agent:
            args += ["--config-file", self.db_config_file]
        if without_database:
            code = _NO_DATABASE_MAIN.format(module=module, binary=binary)
            argv = [sys.executable, "-c", code, *args]
        else:
            argv = [console_script(binary), *args]
        name = f"{binary}.{host or self.host}"
        process = ServiceProcess(name, argv, os.path.join(self.log_dir, f"{name}.log"),
                                 self.state_path)
        self.processes.append(process)
        return process

    # -- observing --

    def manage(self, *args: str) -> str:
        """Run strato-manage with both config files; return its output."""
        result = subprocess.run(
            [console_script("strato-manage"), "--config-file", self.config_file,
             "--config-file", self.db_config_file, *args],
            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
            cwd=self.state_path)
        if result.returncode:
            raise AssertionError(f"strato-manage {' '.join(args)} exited "
                                 f"{result.returncode}:\n{result.stdout}{result.stderr}")
        return result.stdout

    def services(self, host: str | None = None) -> dict[str, dict[str, str]]:
        """``strato-manage service list`` rows of ``host`` as {binary: row}."""
        rows = tables.parse(self.manage("service", "list", "--host", host or self.host))
        return {row["Binary"]: row for row in rows}

    def wait_for_states(self, expected: dict[str, str], host: str | None = None,
                        timeout: float = 60) -> dict[str, dict[str, str]]:
        """Wait until each binary in ``expected`` is listed in its state ("up"/"down")."""
        def reached() -> dict[str, dict[str, str]] | None:
            rows = self.services(host)
            states = {binary: rows.get(binary, {}).get("State") for binary in expected}
            return rows if states == expected else None

        with self.logs_on_failure(host):
            return wait_until(reached, timeout, f"services of {host or self.host} "
                              f"listed {expected}", interval=0.5)

    def ping(self, binary: str, host: str | None = None,
             timeout: float = 60) -> dict[str, str]:
        """Ping ``binary`` on ``host`` over this process's CONF until it answers."""
        host = host or self.host
        process = self.latest_processes().get(f"{binary}.{host}")

        def answer() -> dict[str, str] | None:
            if process is not None and not process.running():
                raise AssertionError(f"{process.name} exited with {process.popen.returncode}")
            try:
                return rpc.ping(SERVICES[binary][0], server=host, timeout=2)
            except messaging.MessagingTimeout:
                return None  # not started yet: its queue does not exist

        with self.logs_on_failure(host):
            return wait_until(answer, timeout, f"ping of {binary} on {host}", interval=0)

    def latest_processes(self) -> dict[str, ServiceProcess]:
        """The last process started under each name (a restart replaces a killed one)."""
        return {process.name: process for process in self.processes}

    @contextlib.contextmanager
    def logs_on_failure(self, host: str | None = None) -> Iterator[None]:
        """Add the log tails of ``host``'s processes to an AssertionError."""
        try:
            yield
        except AssertionError as error:
            tails = [f"--- {p.name} ({'running' if p.running() else 'exited'}) "
                     f"{p.log_path}\n{p.log_tail()}"
                     for p in self.latest_processes().values()
                     if p.name.endswith(f".{host or self.host}")]
            raise AssertionError("\n".join([str(error), *tails])) from None


def heartbeat_age(row: dict[str, str], now: datetime.datetime) -> float:
    """Seconds from the heartbeat of a service list row to ``now`` (naive UTC).

    The row prints whole seconds, so this is up to 1 s more than the real age.
    """
    return (now - datetime.datetime.fromisoformat(row["Last Heartbeat"])).total_seconds()


def on_each_database(cls: type) -> type:
    """Run the test class ``cls`` (with a ``database`` class attribute, "sqlite") once
    more on each server database: ``<Name>_postgresql`` and ``<Name>_mysql`` are added
    to its module beside it."""
    module = sys.modules[cls.__module__]
    for database in DATABASES[1:]:
        name = f"{cls.__name__}_{database}"
        setattr(module, name, type(name, (cls,), {"database": database,
                                                  "__module__": cls.__module__,
                                                  "__qualname__": name}))
    return cls


class DeploymentTestCase(unittest.TestCase):
    """A test class sharing one Deployment; this process's CONF speaks on its vhost."""

    deployment: Deployment
    database = "sqlite"

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.deployment = Deployment(cls.database)
        cls.addClassCleanup(cls.deployment.cleanup)
        cls.deployment.setup()
        CONF.clear()
        config.parse_args(["--config-file", cls.deployment.config_file],
                          default_config_files=[])
        cls.addClassCleanup(CONF.reset)
        cls.addClassCleanup(rpc.cleanup)

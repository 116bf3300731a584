"""A RabbitMQ node of the test's own (free ports, a temp dir), so a test can stop the
broker's application and start it again without touching the machine's broker or a
running stack's queues. Set up as devstack/lib/rabbitmq.sh sets up its private node."""
import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid

from tests import backends
from tests.functional import fixtures

BIN = "/usr/lib/rabbitmq/bin"


class PrivateRabbit:
    def __init__(self) -> None:
        if not os.path.exists(os.path.join(BIN, "rabbitmq-server")):
            backends.backend_missing("RabbitMQ server scripts (apt install rabbitmq-server)")
        self.path = tempfile.mkdtemp(prefix="strato-rabbit-")
        self.port = fixtures.free_port()
        self.node = f"strato-test-{uuid.uuid4().hex[:8]}@localhost"
        self.url = f"rabbit://guest:guest@127.0.0.1:{self.port}/"
        self.pid_file = os.path.join(self.path, "rabbit.pid")
        self.env = {
            **os.environ, "HOME": self.path, "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(fixtures.free_port()),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_MNESIA_BASE": os.path.join(self.path, "mnesia"),
            "RABBITMQ_LOG_BASE": os.path.join(self.path, "log"),
            "RABBITMQ_PID_FILE": self.pid_file,
            "RABBITMQ_CONFIG_FILE": os.path.join(self.path, "rabbitmq"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": os.path.join(self.path, "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(self.path, "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": os.path.join(self.path, "rabbitmq-env.conf"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS":
                "-kernel inet_dist_use_interface {127,0,0,1}",
            "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}

    def ctl(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run([os.path.join(BIN, "rabbitmqctl"), "-q", "-n", self.node,
                                 *args], capture_output=True, text=True, env=self.env,
                                timeout=timeout, stdin=subprocess.DEVNULL)
        if result.returncode:
            raise AssertionError(f"rabbitmqctl {' '.join(args)} exited {result.returncode}: "
                                 f"{result.stdout}{result.stderr}")
        return result.stdout

    def start(self) -> None:
        files = {"rabbitmq.conf": f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
                                  "loopback_users.guest = true\n",
                 "enabled_plugins": "[].\n", "advanced.config": "[].\n",
                 "rabbitmq-env.conf": ""}
        for name, content in files.items():
            with open(os.path.join(self.path, name), "w") as f:
                f.write(content)
        subprocess.run([os.path.join(BIN, "rabbitmq-server"), "-detached"], check=True,
                       env=self.env, capture_output=True, stdin=subprocess.DEVNULL)
        # 'await_startup' fails until the node registered with epmd; 'wait' does not.
        self.ctl("wait", "--timeout", "120", self.pid_file, timeout=150)

    @property
    def broker(self) -> tuple[str, list[str]]:
        """(url, rabbitmqctl argv) for fixtures.Deployment."""
        return self.url, ["env", f"HOME={self.path}", os.path.join(BIN, "rabbitmqctl"),
                          "-n", self.node]

    def stop_app(self) -> None:
        """The broker stops serving (every connection drops); the node stays."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")

    def cleanup(self) -> None:
        if os.path.exists(self.pid_file):
            try:
                self.ctl("stop", self.pid_file, timeout=60)
            except (AssertionError, subprocess.TimeoutExpired):
                with open(self.pid_file) as f:
                    pid = int(f.read().strip() or 0)
                if pid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, 9)
        shutil.rmtree(self.path, ignore_errors=True)

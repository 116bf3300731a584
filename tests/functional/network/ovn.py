"""OVN processes for the networking tests, each in a temp dir and stopped by its pid.

- ``Northbound``: an OVN_Northbound ovsdb-server alone (about 0.1 s), enough to test
  what the network agent writes.
- ``Central``: northbound, southbound and ovn-northd (about 1 s).
- ``Switch``: an Open_vSwitch ovsdb-server alone, enough to test what plugs ports.
- ``Chassis``: ovs-vswitchd on the userspace datapath inside a private network namespace,
  and ovn-controller, with namespaces as VMs and as an external network.
- ``HostChassis``: the same in the host's network namespace, where libvirt creates the
  taps of real guests, on a bridge named for the test (never a stack's br-int).

Following the facts measured on this machine: no kernel datapath (netdev bridges), and
checksum offload off on both ends of every veth. Tests skip when OVN is not installed.
"""
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

from tests import backends

NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"
SB_SCHEMA = "/usr/share/ovn/ovn-sb.ovsschema"
VSWITCH_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


def require(*binaries: str) -> None:
    backends.require_binaries(*binaries)


def run(*argv: str, check: bool = True, timeout: float = 60, env: dict | None = None) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL, env=env)
    if check and result.returncode:
        raise AssertionError(f"{' '.join(argv)} exited {result.returncode}: "
                             f"{result.stdout}{result.stderr}")
    return result.stdout


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not true within {timeout}s")
        time.sleep(interval)


class _Daemons:
    """Daemons started with --detach --pidfile in ``self.dir``; stopped by their pids."""

    def __init__(self, prefix: str) -> None:
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.pidfiles: list[str] = []

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def daemon(self, name: str, *argv: str, netns: str | None = None,
               env: dict | None = None) -> None:
        pidfile = self.path(f"{name}.pid")
        command = [*argv, "--detach", "--no-chdir", f"--pidfile={pidfile}",
                   f"--log-file={self.path(name + '.log')}"]
        if netns:
            command = ["ip", "netns", "exec", netns, *command]
        run(*command, env=env)
        self.pidfiles.append(pidfile)

    def stop(self) -> None:
        for pidfile in reversed(self.pidfiles):
            _kill_pidfile(pidfile)
        self.pidfiles.clear()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _read_pid(pidfile: str) -> int | None:
    try:
        with open(pidfile) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def _kill_pidfile(pidfile: str) -> None:
    pid = _read_pid(pidfile)
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if _gone(pid, 5):
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _alive(pid: int) -> bool:
    """Running; a zombie is not (daemons detach, and PID 1 here does not reap them)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class Northbound(_Daemons):
    """An OVN_Northbound ovsdb-server on a unix socket (no northd)."""

    def __init__(self) -> None:
        require("ovsdb-server", "ovsdb-tool", "ovn-nbctl")
        super().__init__("strato-ovn-")
        self.nb_socket = self.path("nb.sock")

    @property
    def nb_remote(self) -> str:
        return f"unix:{self.nb_socket}"

    def start(self) -> None:
        self._db_server("nb", NB_SCHEMA, self.nb_socket)
        self.nbctl("--no-wait", "init")

    def _db_server(self, name: str, schema: str, socket: str) -> None:
        db = self.path(f"{name}.db")
        run("ovsdb-tool", "create", db, schema)
        self.daemon(f"ovsdb-server-{name}", "ovsdb-server", f"--remote=punix:{socket}",
                    f"--unixctl={self.path(name + '.ctl')}", db)
        wait_for(lambda: os.path.exists(socket), 10, f"{name} socket")

    def nbctl(self, *args: str) -> str:
        return run("ovn-nbctl", f"--db={self.nb_remote}", "--timeout=30", *args)

    def crash_and_start_empty(self) -> None:
        """SIGKILL the NB ovsdb-server and start it again on a new, empty database: the
        worst a restart can do to what the agents wrote."""
        pidfile = self.path("ovsdb-server-nb.pid")
        pid = _read_pid(pidfile)
        os.kill(pid, signal.SIGKILL)
        _gone(pid, 10)
        self.pidfiles.remove(pidfile)
        for name in ("nb.db", "nb.sock", "nb.ctl"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path(name))
        Northbound.start(self)


class Central(Northbound):
    """Northbound, southbound and ovn-northd."""

    def __init__(self) -> None:
        require("ovn-northd", "ovn-sbctl")
        super().__init__()
        self.sb_socket = self.path("sb.sock")

    @property
    def sb_remote(self) -> str:
        return f"unix:{self.sb_socket}"

    def start(self) -> None:
        super().start()
        self._db_server("sb", SB_SCHEMA, self.sb_socket)
        run("ovn-sbctl", f"--db={self.sb_remote}", "init")
        self.daemon("ovn-northd", "ovn-northd", f"--ovnnb-db={self.nb_remote}",
                    f"--ovnsb-db={self.sb_remote}", f"--unixctl={self.path('northd.ctl')}")
        self.nbctl("--wait=sb", "sync")

    def sbctl(self, *args: str) -> str:
        return run("ovn-sbctl", f"--db={self.sb_remote}", "--timeout=30", *args)


class Switch(_Daemons):
    """An Open_vSwitch ovsdb-server on a unix socket (no ovs-vswitchd)."""

    def __init__(self, prefix: str = "strato-ovs-") -> None:
        require("ovsdb-server", "ovsdb-tool", "ovs-vsctl")
        super().__init__(prefix)
        self.db_socket = self.path("db.sock")

    @property
    def remote(self) -> str:
        return f"unix:{self.db_socket}"

    def vsctl(self, *args: str) -> str:
        return run("ovs-vsctl", f"--db={self.remote}", "--timeout=30", *args)

    def ports(self, bridge: str) -> list[str]:
        return self.vsctl("list-ports", bridge).split()

    def external_ids(self, interface: str) -> dict[str, str]:
        out = self.vsctl("--format=json", "--columns=external_ids", "list", "Interface",
                         interface)
        return dict(json.loads(out)["data"][0][0][1])

    def start(self) -> None:
        run("ovsdb-tool", "create", self.path("conf.db"), VSWITCH_SCHEMA)
        self.daemon("ovsdb-server", "ovsdb-server", f"--remote=punix:{self.db_socket}",
                    f"--unixctl={self.path('ovsdb-server.ctl')}", self.path("conf.db"))
        self.vsctl("--no-wait", "init")


class Chassis(Switch):
    """ovs-vswitchd (userspace datapath) in a private namespace, and ovn-controller.

    VMs and the external network are namespaces joined to it by veth pairs.
    """

    def __init__(self, central: Central, name: str = "chassis1") -> None:
        require("ovs-vswitchd", "ovs-appctl", "ovn-controller", "ip", "ethtool")
        super().__init__("strato-chassis-")
        self.central = central
        self.name = name
        self.tag = uuid.uuid4().hex[:5]
        self.hv_netns: str | None = f"strato-hv-{self.tag}"
        self.bridge = "br-int"
        self.netns: list[str] = []
        self.env = {**os.environ, "OVS_RUNDIR": self.dir, "OVS_LOGDIR": self.dir,
                    "OVS_DBDIR": self.dir, "OVN_RUNDIR": self.dir}

    def start(self) -> None:
        if self.hv_netns:
            self._add_netns(self.hv_netns)
        super().start()
        self.daemon("ovs-vswitchd", "ovs-vswitchd", self.remote,
                    f"--unixctl={self.path('ovs-vswitchd.ctl')}", netns=self.hv_netns,
                    env=self.env)
        self.vsctl("--may-exist", "add-br", self.bridge, "--", "set", "Bridge", self.bridge,
                   "datapath_type=netdev", "fail-mode=secure",
                   "other_config:disable-in-band=true")
        self.vsctl("set", "Open_vSwitch", ".", f"external_ids:system-id={self.name}",
                   f"external_ids:hostname={self.name}",
                   f"external_ids:ovn-remote={self.central.sb_remote}",
                   "external_ids:ovn-encap-type=geneve", "external_ids:ovn-encap-ip=127.0.0.1",
                   f"external_ids:ovn-bridge={self.bridge}",
                   "external_ids:ovn-bridge-datapath-type=netdev")
        # ovn-controller has no --unixctl option: its socket lands in OVN_RUNDIR.
        self.daemon("ovn-controller", "ovn-controller", self.remote, env=self.env)
        wait_for(lambda: self.name in self.central.sbctl("--bare", "--columns=name",
                                                         "list", "Chassis"),
                 30, f"chassis {self.name} registered")

    def _add_netns(self, name: str) -> None:
        run("ip", "netns", "add", name)
        self.netns.append(name)
        run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")

    def _veth(self, netns: str, inside: str, mac: str | None, outside: str) -> None:
        """A veth pair: ``inside`` in ``netns``, ``outside`` in the hypervisor namespace."""
        address = ["address", mac] if mac else []
        run("ip", "link", "add", inside, "netns", netns, *address, "type", "veth", "peer",
            "name", outside, "netns", self.hv_netns)
        for ns, dev in ((netns, inside), (self.hv_netns, outside)):
            run("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off")
            run("ip", "netns", "exec", ns, "ip", "link", "set", dev, "up")

    def add_vm(self, name: str, port_id: str, mac: str) -> str:
        """A namespace whose eth0 is plugged into the bridge as OVN port ``port_id``."""
        netns = f"strato-{name}-{self.tag}"
        self._add_netns(netns)
        tap = f"tap{name}{self.tag}"[:15]
        self._veth(netns, "eth0", mac, tap)
        self.vsctl("add-port", self.bridge, tap, "--", "set", "Interface", tap,
                   f"external_ids:iface-id={port_id}")
        return netns

    def add_external(self, physnet: str, address: str) -> str:
        """A namespace on physical network ``physnet`` (br-ex), holding ``address``."""
        netns = f"strato-ext-{self.tag}"
        self._add_netns(netns)
        self.vsctl("--may-exist", "add-br", "br-ex", "--", "set", "Bridge", "br-ex",
                   "datapath_type=netdev")
        self.vsctl("set", "Open_vSwitch", ".",
                   f"external_ids:ovn-bridge-mappings={physnet}:br-ex")
        tap = f"tapext{self.tag}"
        self._veth(netns, "eth0", None, tap)
        self.vsctl("add-port", "br-ex", tap)
        self.exec(netns, "ip", "addr", "add", address, "dev", "eth0")
        return netns

    def exec(self, netns: str, *argv: str, check: bool = True, timeout: float = 60) -> str:
        return run("ip", "netns", "exec", netns, *argv, check=check, timeout=timeout)

    def stop(self) -> None:
        # --cleanup: the datapath's devices (ovs-netdev, the bridge's) go too; a plain
        # SIGTERM leaves them behind, persistent, in the namespace. exit answers before
        # the cleanup is done: a SIGTERM meanwhile would cut it short.
        pid = _read_pid(self.path("ovs-vswitchd.pid"))
        if pid is not None:
            run("ovs-appctl", "-t", self.path("ovs-vswitchd.ctl"), "exit", "--cleanup",
                check=False, timeout=30)
            _gone(pid, 10)
        super().stop()

    def cleanup(self) -> None:
        self.stop()
        for netns in reversed(self.netns):
            run("ip", "netns", "delete", netns, check=False)
        self.netns.clear()
        shutil.rmtree(self.dir, ignore_errors=True)


class HostChassis(Chassis):
    """A Chassis in the host's network namespace, where libvirt creates the taps of
    real guests, on a bridge of its own (br-t<tag>), so a running stack's br-int and
    OVS (a db of their own) are never touched.

    The userspace datapath's own device has a fixed name (ovs-netdev), so only one such
    ovs-vswitchd fits in a namespace: with another one running (a stack's), this skips.
    """

    def __init__(self, central: Central, name: str) -> None:
        super().__init__(central, name)
        self.hv_netns = None
        self.bridge = f"br-t{self.tag}"

    def start(self) -> None:
        other = _vswitchd_in_this_netns()
        if other:
            backends.backend_missing(f"ovs-vswitchd (pid {other}) already runs in this "
                                     "network namespace: a second userspace datapath "
                                     "cannot have its device ovs-netdev")
        super().start()


def _vswitchd_in_this_netns() -> int | None:
    mine = os.readlink("/proc/self/ns/net")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as f:
                if f.read().strip() != "ovs-vswitchd":
                    continue
            if os.readlink(f"/proc/{entry}/ns/net") == mine:
                return int(entry)
        except OSError:  # gone meanwhile, or a zombie
            continue
    return None

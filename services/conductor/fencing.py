"""Fence methods: making sure a dead compute host runs no guest before its servers are
rebuilt elsewhere. Each returns a line saying what it did, or raises FenceFailed."""
import shlex
import subprocess
import threading

from oslo_log import log as logging

from common.config import CONF

LOG = logging.getLogger(__name__)


class FenceFailed(Exception):
    pass


def run_command(host: str, host_ip: str | None) -> str:
    """``[ha] fence_command`` (power fencing): exit status 0 means the host is off."""
    command = CONF.ha.fence_command.format(host=host, host_ip=host_ip or "")
    try:
        result = subprocess.run(shlex.split(command), capture_output=True, text=True,
                                timeout=CONF.ha.fence_timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FenceFailed(f"fence command failed: {error}") from error
    if result.returncode != 0:
        raise FenceFailed(f"fence command exited {result.returncode}: "
                          f"{(result.stderr or result.stdout).strip()[-200:]}")
    return "powered off by the fence command"


def destroy_through_libvirt(host: str, host_ip: str | None, uuids: list[str]) -> str:
    """Destroy the guests ``uuids`` through the host's libvirtd, if it still answers
    within ``[ha] fence_timeout``."""
    import libvirt  # only conductors that fence through libvirt need the binding

    uri = CONF.ha.libvirt_fence_uri.format(host=host, host_ip=host_ip or "")
    outcome: list[str] = []
    errors: list[Exception] = []

    def destroy() -> None:
        try:
            connection = libvirt.open(uri)
            destroyed = 0
            try:
                for uuid in uuids:
                    try:
                        connection.lookupByUUIDString(uuid).destroy()
                        destroyed += 1
                    except libvirt.libvirtError:
                        pass  # not there, or not running
            finally:
                connection.close()
            outcome.append(f"{destroyed} guest(s) destroyed through {uri}")
        except Exception as error:
            errors.append(error)

    worker = threading.Thread(target=destroy, daemon=True)
    worker.start()
    worker.join(CONF.ha.fence_timeout)
    if outcome:
        return outcome[0]
    raise FenceFailed(f"libvirt at {uri}: {errors[0] if errors else 'no answer'}")

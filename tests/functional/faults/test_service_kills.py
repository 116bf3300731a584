"""kill -9 of each service in turn (an api worker, the scheduler, the conductor, the
compute, network and dns agents) during a storm of server creates and deletes on a
network, then the service started again: every server ends ACTIVE, ERROR with a fault,
or deleted, and once all are deleted nothing is left behind (no allocation, port, OVN
port, DNS record or guest)."""
import os
import signal
import time

from tests.functional.faults import storm

# The services killed, by binary; "strato-api" means one of its gunicorn workers.
VICTIMS = ("strato-api", "strato-scheduler", "strato-conductor", "strato-compute",
           "strato-network", "strato-dns")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


class ServiceKillTest(storm.StormTestCase):
    def kill_and_restart(self, binary: str) -> None:
        process = self.cloud.deployment.latest_processes()[
            f"{binary}.{self.cloud.deployment.host}"]
        if binary == "strato-api":
            # One worker (strato-api > gunicorn's master > workers): the master starts
            # another in its place.
            (master,) = _children(process.pid)
            os.kill(_children(master)[0], signal.SIGKILL)
            return
        process.kill()
        time.sleep(1)
        self.cloud.start_service(binary)


def _kill_test(binary: str):
    def test(self: ServiceKillTest) -> None:
        self.check_storm(binary.split("-")[1], lambda: self.kill_and_restart(binary))
    test.__name__ = f"test_kill_{binary.split('-')[1]}"
    test.__doc__ = f"kill -9 of {binary} mid-storm, then started again"
    return test


for _binary in VICTIMS:
    setattr(ServiceKillTest, f"test_kill_{_binary.split('-')[1]}", _kill_test(_binary))

"""Base of the compute API unit tests: the app with a migrated SQLite, a fake compute
host (service, inventory), an image to boot and flavors, RPC casts recorded by mocks
instead of sent, and Tempest's own response schemas as the oracle of every body."""
import hashlib
from typing import Any
from unittest import mock

from common import context
from common.db.api import (
    compute_flavors,
    compute_hosts,
    compute_instances,
    placement,
    services,
)
from common.db.api import images as images_db
from services.api.compute import versions
from tests.unit.base import SYSTEM
from tests.unit.base import api as base

V21 = "/compute/v2.1"
HOST = "compute-1"
MAX = versions.MAX_VERSION


class ComputeAPITestCase(base.APITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = self.headers()
        self.demo = self.headers(self.token("demo", base.DEMO_PASSWORD, "demo"))
        self.conductor = self._mock("services.conductor.rpcapi.ConductorAPI")
        self.compute = self._mock("services.compute.rpcapi.ComputeAPI")
        self.scheduler = self._mock("services.scheduler.rpcapi.SchedulerAPI")
        self.compute.get_console_output.return_value = "boot\x01ed\nline2\n"
        services.heartbeat(context.get_admin_context(), HOST, "strato-compute", "compute", "1.0")
        placement.set_inventory(SYSTEM, HOST, {
            "VCPU": {"total": 16, "max_unit": 16, "allocation_ratio": 4.0},
            "MEMORY_MB": {"total": 32768, "max_unit": 32768},
            "DISK_GB": {"total": 1000, "max_unit": 1000}}, ["CUSTOM_HYPERVISOR_FAKE"])
        compute_hosts.update_node(context.get_admin_context(), HOST, {
            "hypervisor_hostname": HOST, "hypervisor_type": "fake",
            "hypervisor_version": 1000, "cpu_info": {"arch": "x86_64"}, "vcpus": 16,
            "memory_mb": 32768, "local_gb": 1000, "host_ip": "192.0.2.10"})
        self.flavor = compute_flavors.create(context.get_admin_context(), {
            "flavorid": "1", "name": "m1.nano", "vcpus": 1, "memory_mb": 128,
            "root_gb": 1})
        self.flavor_alt = compute_flavors.create(context.get_admin_context(), {
            "flavorid": "2", "name": "m1.tiny", "vcpus": 1, "memory_mb": 256,
            "root_gb": 1})
        self.image = images_db.create(context.get_admin_context(),
                                      {"name": "tiny", "status": "active",
                                       "visibility": "public", "disk_format": "qcow2",
                                       "container_format": "bare", "size": 1024,
                                       "checksum": hashlib.md5(b"x").hexdigest()},
                                      {"kernel_id": "k"})

    def _mock(self, target: str) -> mock.MagicMock:
        """The RPC client class at ``target`` replaced by an autospec of it: a call
        that the real client would refuse (a wrong name or signature) fails here too."""
        patcher = mock.patch(target, autospec=True)
        self.addCleanup(patcher.stop)
        return patcher.start().return_value

    def request(self, method: str, path: str, version: str | None = None,
                headers: dict | None = None, **kwargs: Any):
        headers = dict(headers or self.admin)
        if version is not None:
            headers["OpenStack-API-Version"] = f"compute {version}"
        return self.client.simulate_request(method, V21 + path, headers=headers, **kwargs)

    def boot(self, headers: dict | None = None, version: str | None = None,
             active: bool = True, **server: Any) -> dict:
        """A server created through the API, then made ACTIVE on HOST as a build would."""
        body = {"server": {"name": "vm", "imageRef": self.image.id, "flavorRef": "1",
                           **server}}
        if version is not None and tuple(map(int, version.split("."))) >= (2, 37):
            body["server"].setdefault("networks", "none")
        resp = self.request("POST", "/servers", version, headers, json=body)
        self.assertEqual(202, resp.status_code, resp.text)
        server_id = resp.json["server"]["id"]
        if active:
            self.activate(server_id)
        return resp.json["server"]

    def activate(self, server_id: str, **values: Any) -> None:
        compute_instances.update(SYSTEM, server_id, {"vm_state": "active", "task_state": None,
                                             "power_state": 1, "host": HOST, "node": HOST,
                                             "availability_zone": "nova",
                                             "launched_at": "2026-11-23T03:00:00",
                                             **values})

    def admin_context(self) -> context.RequestContext:
        return context.get_admin_context()

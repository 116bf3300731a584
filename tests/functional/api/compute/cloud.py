"""A private compute cloud for functional tests (and for running the stock CLI or
Tempest by hand): strato-api, conductor, scheduler and a fake-driver compute agent on a
private vhost, identity bootstrapped, an image uploaded through the image API, flavors
made through the compute API, and a clouds.yaml for the stock clients.

    python -m tests.functional.api.compute.cloud   # start one, print how to use it

With STRATO_DRIVER=libvirt the agent runs the libvirt driver (TCG) against
STRATO_LIBVIRT_URI (default qemu:///system); STRATO_DATABASE=postgresql or mysql puts
its database on that server instead of SQLite.
"""
import json
import os
import re
import signal
import threading
import urllib.error
import urllib.request
from typing import Any

from tests.functional import fixtures
from tests.functional.compute import processes

ADMIN_PASSWORD = "functional-admin"
DEMO_PASSWORD = "functional-demo"
# A small raw disk is enough for the fake driver (the libvirt one needs a real image).
IMAGE_BYTES = b"\0" * 1024 * 1024
FLAVORS = (("1", "m1.nano", 128, 1, 1), ("2", "m1.tiny", 512, 1, 1),
           ("3", "m1.small", 2048, 1, 20))


class Cloud:
    def __init__(self, driver: str = "fake", extra_config: str = "",
                 database: str = "sqlite", server_url: str | None = None,
                 agents: tuple[str, ...] = (),
                 broker: tuple[str, list[str]] | None = None) -> None:
        """``extra_config`` is read after [compute]'s lines by every service but the
        api; ``agents`` are started too (strato-network, strato-dns)."""
        self.deployment = fixtures.Deployment(database, server_url, broker)
        self.agents = agents
        self.driver = driver
        self.extra_config = extra_config
        self.url = ""
        self.image_id = ""

    def start(self) -> "Cloud":
        deployment = self.deployment
        deployment.setup()
        with open(deployment.config_file) as f:
            port = re.search(r"bind_port = (\d+)", f.read()).group(1)
        self.url = f"http://127.0.0.1:{port}"
        with open(deployment.db_config_file, "a") as f:
            f.write(f"[api]\npublic_url = {self.url}\nworkers = 2\n"
                    "[identity]\nbcrypt_rounds = 4\n")
        deployment.manage("bootstrap", "--admin-password", ADMIN_PASSWORD,
                          "--demo-password", DEMO_PASSWORD)
        self.config = {"compute.conf": f"[compute]\ncompute_driver = {self.driver}\n"
                                       f"update_resources_interval = 5\n{self.extra_config}"}
        for binary in ("strato-api", "strato-conductor", "strato-scheduler",
                       "strato-compute", *self.agents):
            self.start_service(binary)
        fixtures.wait_until(self._healthy, 60, "strato-api answers /healthcheck")
        self.admin_token = self.token("admin", ADMIN_PASSWORD, "admin")
        fixtures.wait_until(self._host_listed, 90, "the compute host reports its inventory",
                            interval=1)
        for flavor_id, name, ram, vcpus, disk in FLAVORS:
            self.request("POST", "/compute/v2.1/flavors", {"flavor": {
                "id": flavor_id, "name": name, "ram": ram, "vcpus": vcpus, "disk": disk}})
        self.image_id = self.upload_image("cirros", IMAGE_BYTES)
        return self

    def start_service(self, binary: str) -> fixtures.ServiceProcess:
        """Start (or start again) ``binary`` with this cloud's config."""
        if binary == "strato-api":
            return self.deployment.start(binary)
        control = not fixtures.SERVICES[binary][2]
        return processes.start(self.deployment, binary, self.deployment.host, self.config,
                               with_database=control)

    def stop(self) -> None:
        self.deployment.cleanup()

    def _healthy(self) -> bool:
        try:
            return self.request("GET", "/healthcheck", token=False)[0] == 200
        except OSError:
            return False

    def _host_listed(self) -> bool:
        status, body = self.request("GET", "/compute/v2.1/os-hypervisors")
        return status == 200 and bool(body["hypervisors"])

    def request(self, method: str, path: str, body: Any = None, token: Any = True,
                headers: dict | None = None, raw: bytes | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else (json.dumps(body).encode()
                                            if body is not None else None)
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            all_headers["X-Auth-Token"] = self.admin_token if token is True else token
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, payload = resp.status, resp.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload

    def token(self, user: str, password: str, project: str) -> str:
        req = urllib.request.Request(
            self.url + "/identity/v3/auth/tokens", method="POST",
            headers={"Content-Type": "application/json"},
            data=json.dumps({"auth": {"identity": {"methods": ["password"], "password": {
                "user": {"name": user, "domain": {"id": "default"},
                         "password": password}}},
                "scope": {"project": {"name": project,
                                      "domain": {"id": "default"}}}}}).encode())
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.headers["X-Subject-Token"]

    def upload_image(self, name: str, data: bytes, disk_format: str = "raw",
                     **properties: str) -> str:
        status, image = self.request("POST", "/image/v2/images", {
            "name": name, "disk_format": disk_format, "container_format": "bare",
            "visibility": "public", **properties})
        assert status == 201, image
        status, _ = self.request("PUT", f"/image/v2/images/{image['id']}/file", raw=data,
                                 headers={"Content-Type": "application/octet-stream"})
        assert status == 204
        return image["id"]

    def clouds_yaml(self) -> str:
        """A clouds.yaml (clouds 'strato' as admin, 'strato-demo') in the state dir."""
        path = os.path.join(self.deployment.state_path, "clouds.yaml")
        clouds = {name: {"auth": {"auth_url": f"{self.url}/identity/v3", "username": user,
                                  "password": password, "project_name": user,
                                  "user_domain_name": "Default",
                                  "project_domain_name": "Default"},
                         "region_name": "RegionOne", "identity_api_version": 3}
                  for name, user, password in (("strato", "admin", ADMIN_PASSWORD),
                                               ("strato-demo", "demo", DEMO_PASSWORD))}
        with open(path, "w") as f:
            json.dump({"clouds": clouds}, f, indent=1)  # JSON is YAML
        return path


def main() -> None:
    driver = os.environ.get("STRATO_DRIVER", "fake")
    extra = ""
    if driver == "libvirt":
        extra = (f"[libvirt]\nvirt_type = qemu\nconnection_uri = "
                 f"{os.environ.get('STRATO_LIBVIRT_URI', 'qemu:///system')}\n")
    cloud = Cloud(driver, extra, os.environ.get("STRATO_DATABASE", "sqlite"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        cloud.start()
        print(f"url={cloud.url}\nstate={cloud.deployment.state_path}\n"
              f"OS_CLIENT_CONFIG_FILE={cloud.clouds_yaml()}\nimage={cloud.image_id}\n"
              f"ADMIN_PASSWORD={ADMIN_PASSWORD}", flush=True)
        stop.wait()
    finally:
        cloud.stop()


if __name__ == "__main__":
    main()

"""Servers and images end to end over HTTP, with the real api, conductor, scheduler and
a fake-driver compute agent on the broker: boot to ACTIVE, power actions, snapshot to an
active image, console, delete from any state, image upload and download."""
import concurrent.futures
import time
import unittest

from tests.functional import fixtures
from tests.functional.fixtures import private_cloud

V21 = "/compute/v2.1"


@fixtures.on_each_database
class ServersOverHTTPTest(unittest.TestCase):
    database = "sqlite"

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cloud = private_cloud.Cloud(database=cls.database)
        cls.addClassCleanup(cls.cloud.stop)
        cls.cloud.start()

    def wait_status(self, server_id: str, status: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            code, body = self.cloud.request("GET", f"{V21}/servers/{server_id}")
            if code == 404 and status == "DELETED":
                return {}
            server = body["server"] if code == 200 else {}
            if server.get("status") == status and not server.get("OS-EXT-STS:task_state"):
                return server
            if time.monotonic() > deadline:
                self.fail(f"server {server_id} not {status} within {timeout}s: {body}")
            time.sleep(0.3)

    def boot(self, name: str) -> str:
        code, body = self.cloud.request("POST", f"{V21}/servers", {"server": {
            "name": name, "imageRef": self.cloud.image_id, "flavorRef": "1",
            "networks": "none"}}, headers={"OpenStack-API-Version": "compute 2.60"})
        self.assertEqual(202, code, body)
        return body["server"]["id"]

    def act(self, server_id: str, body: dict, expected: int = 202) -> object:
        code, answer = self.cloud.request("POST", f"{V21}/servers/{server_id}/action", body)
        self.assertEqual(expected, code, answer)
        return answer

    def test_lifecycle(self) -> None:
        server_id = self.boot("life")
        server = self.wait_status(server_id, "ACTIVE")
        self.assertEqual(self.cloud.deployment.host, server["OS-EXT-SRV-ATTR:host"])
        for action, status in (("os-stop", "SHUTOFF"), ("os-start", "ACTIVE"),
                               ("pause", "PAUSED"), ("unpause", "ACTIVE"),
                               ("suspend", "SUSPENDED"), ("resume", "ACTIVE")):
            self.act(server_id, {action: None})
            self.wait_status(server_id, status)
        self.act(server_id, {"reboot": {"type": "SOFT"}})
        self.wait_status(server_id, "ACTIVE")
        output = self.act(server_id, {"os-getConsoleOutput": {"length": 50}}, 200)
        self.assertIn("STRATO-FAKE-READY", output["output"])
        image = self.act(server_id, {"createImage": {"name": "snap"}}, 202)
        self.wait_status(server_id, "ACTIVE")
        image_id = self.snapshot_id(server_id, image)
        code, shown = self.cloud.request("GET", f"/image/v2/images/{image_id}")
        self.assertEqual((200, "active", "snapshot"),
                         (code, shown["status"], shown["image_type"]))
        code, actions = self.cloud.request("GET", f"{V21}/servers/{server_id}/"
                                                  "os-instance-actions")
        self.assertEqual("createImage", actions["instanceActions"][0]["action"])
        self.assertEqual(204, self.cloud.request("DELETE", f"{V21}/servers/{server_id}")[0])
        self.wait_status(server_id, "DELETED")

    def snapshot_id(self, server_id: str, answer: object) -> str:
        deadline = time.monotonic() + 60
        while True:
            code, images = self.cloud.request(
                "GET", f"/image/v2/images?instance_uuid={server_id}&status=active")
            if images["images"]:
                return images["images"][0]["id"]
            if time.monotonic() > deadline:
                self.fail(f"no active snapshot of {server_id}: {answer}")
            time.sleep(0.3)

    def test_delete_while_building_and_in_error(self) -> None:
        building = self.boot("building")
        self.assertEqual(204, self.cloud.request("DELETE", f"{V21}/servers/{building}")[0])
        self.wait_status(building, "DELETED")
        self.cloud.request("POST", f"{V21}/flavors", {"flavor": {
            "id": "huge", "name": "huge", "ram": 10**7, "vcpus": 1, "disk": 1}})
        self.cloud.request("PUT", f"{V21}/os-quota-sets/{self.project_id()}",
                           {"quota_set": {"ram": -1}})
        code, body = self.cloud.request("POST", f"{V21}/servers", {"server": {
            "name": "huge", "imageRef": self.cloud.image_id, "flavorRef": "huge"}})
        self.assertEqual(202, code, body)
        failed = body["server"]["id"]
        server = self.wait_status(failed, "ERROR")
        self.assertIn("No valid host", server["fault"]["message"])
        self.assertEqual(204, self.cloud.request("DELETE", f"{V21}/servers/{failed}")[0])
        self.wait_status(failed, "DELETED")

    def project_id(self, name: str = "admin") -> str:
        code, body = self.cloud.request("GET", f"/identity/v3/projects?name={name}")
        return body["projects"][0]["id"]

    def test_parallel_creates_stop_at_the_quota(self) -> None:
        """20 creates at once against an instances quota of 10: exactly 10 are made,
        the others get Nova's 403, and nothing else is left behind."""
        demo = self.project_id("demo")
        token = self.cloud.token("demo", private_cloud.DEMO_PASSWORD, "demo")
        self.assertEqual(200, self.cloud.request(
            "PUT", f"{V21}/os-quota-sets/{demo}", {"quota_set": {"instances": 10}})[0])
        self.addCleanup(self.cloud.request, "DELETE", f"{V21}/os-quota-sets/{demo}")

        def create(index: int) -> tuple[int, dict]:
            return self.cloud.request("POST", f"{V21}/servers", {"server": {
                "name": f"quota-{index}", "imageRef": self.cloud.image_id,
                "flavorRef": "1", "networks": "none"}}, token=token,
                headers={"OpenStack-API-Version": "compute 2.60"})

        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(create, range(20)))
        codes = sorted(code for code, _body in answers)
        self.assertEqual([202] * 10 + [403] * 10, codes, answers)
        refused = [body for code, body in answers if code == 403]
        self.assertTrue(all("Quota exceeded for instances" in body["forbidden"]["message"]
                            for body in refused), refused)
        code, listed = self.cloud.request("GET", f"{V21}/servers?name=quota-", token=token)
        made = [server["id"] for server in listed["servers"]]
        self.assertEqual(10, len(made), listed)
        for server_id in made:
            self.assertEqual(204, self.cloud.request("DELETE", f"{V21}/servers/{server_id}",
                                                     token=token)[0])
        for server_id in made:
            self.wait_status(server_id, "DELETED")

    def test_image_upload_and_download(self) -> None:
        data = bytes(range(256)) * 4096
        image_id = self.cloud.upload_image("blob", data)
        code, downloaded = self.cloud.request("GET", f"/image/v2/images/{image_id}/file")
        self.assertEqual((200, data), (code, downloaded))
        self.assertEqual(204, self.cloud.request("DELETE", f"/image/v2/images/{image_id}")[0])

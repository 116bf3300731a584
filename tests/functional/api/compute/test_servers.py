"""Servers and images end to end over HTTP, with the real api, conductor, scheduler and
a fake-driver compute agent on the broker: boot to ACTIVE, power actions, snapshot to an
active image, console, delete from any state, image upload and download."""
import time
import unittest

from tests.functional.api.compute import cloud as private_cloud

V21 = "/compute/v2.1"


class ServersOverHTTPTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cloud = private_cloud.Cloud()
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

    def project_id(self) -> str:
        code, body = self.cloud.request("GET", "/identity/v3/projects?name=admin")
        return body["projects"][0]["id"]

    def test_image_upload_and_download(self) -> None:
        data = bytes(range(256)) * 4096
        image_id = self.cloud.upload_image("blob", data)
        code, downloaded = self.cloud.request("GET", f"/image/v2/images/{image_id}/file")
        self.assertEqual((200, data), (code, downloaded))
        self.assertEqual(204, self.cloud.request("DELETE", f"/image/v2/images/{image_id}")[0])

"""The image API: create, upload/download through the store, list filters and paging,
JSON patch, visibility between projects, tags, protection, snapshots."""
import hashlib
import json
import os

from common import context
from common.config import CONF
from common.db.api import images as images_db
from tests.unit.base import api as base

V2 = "/image/v2"
PATCH = {"Content-Type": "application/openstack-images-v2.1-json-patch"}


class ImageAPITest(base.APITestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = self.headers()
        self.demo = self.headers(self.token("demo", base.DEMO_PASSWORD, "demo"))

    def create(self, headers: dict | None = None, **values: object) -> dict:
        resp = self.client.simulate_post(f"{V2}/images", json={
            "name": "img", "disk_format": "raw", "container_format": "bare", **values},
            headers=headers or self.admin)
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.json

    def upload(self, image_id: str, data: bytes, headers: dict | None = None) -> object:
        return self.client.simulate_put(
            f"{V2}/images/{image_id}/file", body=data,
            headers={**(headers or self.admin), "Content-Type": "application/octet-stream"})

    def patch(self, image_id: str, ops: list) -> object:
        return self.client.simulate_patch(f"{V2}/images/{image_id}", body=json.dumps(ops),
                                          headers={**self.admin, **PATCH})

    def test_create_upload_download_delete(self) -> None:
        image = self.create(**{"owner_specified.openstack.md5": "", "hw_foo": "x"})
        self.assertEqual(("queued", "shared", ""),
                         (image["status"], image["visibility"],
                          image["owner_specified.openstack.md5"]))
        data = os.urandom(200_000)
        self.assertEqual(204, self.upload(image["id"], data).status_code)
        shown = self.client.simulate_get(f"{V2}/images/{image['id']}",
                                         headers=self.admin).json
        self.assertEqual(("active", len(data), hashlib.md5(data).hexdigest(), "sha512",
                          hashlib.sha512(data).hexdigest(), len(data)),
                         (shown["status"], shown["size"], shown["checksum"],
                          shown["os_hash_algo"], shown["os_hash_value"],
                          shown["virtual_size"]))
        stored = os.path.join(CONF.compute.image_store_path, image["id"])
        with open(stored, "rb") as f:
            self.assertEqual(data, f.read())
        download = self.client.simulate_get(f"{V2}/images/{image['id']}/file",
                                            headers=self.admin)
        self.assertEqual((200, data), (download.status_code, download.content))
        self.assertEqual(409, self.upload(image["id"], b"again").status_code)
        self.assertEqual(204, self.client.simulate_delete(
            f"{V2}/images/{image['id']}", headers=self.admin).status_code)
        self.assertFalse(os.path.exists(stored))
        missing = self.client.simulate_get(f"{V2}/images/{image['id']}", headers=self.admin)
        self.assertEqual((404, "404 Not Found"), (missing.status_code, missing.json["code"]))

    def test_download_without_data_is_204(self) -> None:
        image = self.create()
        self.assertEqual(204, self.client.simulate_get(
            f"{V2}/images/{image['id']}/file", headers=self.admin).status_code)

    def test_read_only_and_invalid_fields(self) -> None:
        for body, status in (({"status": "active"}, 403), ({"disk_format": "bogus"}, 400),
                             ({"min_ram": -1}, 400), ({"extra": 5}, 400),
                             ({"id": "not-a-uuid"}, 400)):
            resp = self.client.simulate_post(f"{V2}/images", json=body, headers=self.admin)
            self.assertEqual(status, resp.status_code, (body, resp.text))

    def test_visibility_between_projects(self) -> None:
        private = self.create(name="mine", visibility="private")
        public = self.create(name="pub", visibility="public")
        community = self.create(name="comm", visibility="community")
        names = {i["name"] for i in self.client.simulate_get(
            f"{V2}/images", headers=self.demo).json["images"]}
        self.assertEqual({"pub"}, names)
        community_list = self.client.simulate_get(f"{V2}/images?visibility=community",
                                                  headers=self.demo).json["images"]
        self.assertEqual(["comm"], [i["name"] for i in community_list])
        self.assertEqual(404, self.client.simulate_get(
            f"{V2}/images/{private['id']}", headers=self.demo).status_code)
        self.assertEqual(200, self.client.simulate_get(
            f"{V2}/images/{community['id']}", headers=self.demo).status_code)
        self.assertEqual(403, self.client.simulate_delete(
            f"{V2}/images/{public['id']}", headers=self.demo).status_code)
        resp = self.client.simulate_post(f"{V2}/images", json={"visibility": "public"},
                                         headers=self.demo)
        self.assertEqual(403, resp.status_code)

    def test_list_filters_paging_and_sort(self) -> None:
        ids = [self.create(name=f"n{i}", tags=["t"] if i % 2 else [])["id"]
               for i in range(5)]
        resp = self.client.simulate_get(f"{V2}/images?id=in:{ids[0]},{ids[3]}",
                                        headers=self.admin)
        self.assertEqual({ids[0], ids[3]}, {i["id"] for i in resp.json["images"]})
        tagged = self.client.simulate_get(f"{V2}/images?tag=t", headers=self.admin).json
        self.assertEqual({ids[1], ids[3]}, {i["id"] for i in tagged["images"]})
        seen, url = [], f"{V2}/images?limit=2&sort=name:asc"
        while url:
            page = self.client.simulate_get(url, headers=self.admin).json
            seen += [i["name"] for i in page["images"]]
            url = "/image" + page["next"] if "next" in page else None
        self.assertEqual([f"n{i}" for i in range(5)], seen)
        self.assertEqual(400, self.client.simulate_get(
            f"{V2}/images?sort_key=bogus", headers=self.admin).status_code)
        self.assertEqual(400, self.client.simulate_get(
            f"{V2}/images?marker=nope", headers=self.admin).status_code)

    def test_json_patch(self) -> None:
        image = self.create(foo="bar")
        ops = [{"op": "replace", "path": "/name", "value": "new"},
               {"op": "add", "path": "/color", "value": "blue"},
               {"op": "remove", "path": "/foo"},
               {"op": "replace", "path": "/tags", "value": ["a", "b"]}]
        resp = self.patch(image["id"], ops)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual(("new", "blue", ["a", "b"]),
                         (resp.json["name"], resp.json["color"], resp.json["tags"]))
        self.assertNotIn("foo", resp.json)
        for ops, status in (([{"op": "replace", "path": "/status", "value": "x"}], 403),
                            ([{"op": "remove", "path": "/name"}], 403),
                            ([{"op": "replace", "path": "/nothere", "value": "x"}], 409),
                            ([{"op": "add", "path": "/min_ram", "value": "x"}], 400)):
            resp = self.patch(image["id"], ops)
            self.assertEqual(status, resp.status_code, (ops, resp.text))
        resp = self.client.simulate_patch(f"{V2}/images/{image['id']}", json=[],
                                          headers=self.admin)
        self.assertEqual(415, resp.status_code)

    def test_protected_and_tags(self) -> None:
        image = self.create(protected=True)
        self.assertEqual(403, self.client.simulate_delete(
            f"{V2}/images/{image['id']}", headers=self.admin).status_code)
        self.assertEqual(204, self.client.simulate_put(
            f"{V2}/images/{image['id']}/tags/red", headers=self.admin).status_code)
        shown = self.client.simulate_get(f"{V2}/images/{image['id']}", headers=self.admin)
        self.assertEqual(["red"], shown.json["tags"])
        self.assertEqual(204, self.client.simulate_delete(
            f"{V2}/images/{image['id']}/tags/red", headers=self.admin).status_code)
        self.assertEqual(404, self.client.simulate_delete(
            f"{V2}/images/{image['id']}/tags/red", headers=self.admin).status_code)

    def test_snapshot_finished(self) -> None:
        image = self.create(visibility="private")
        images_db.snapshot_finished(context.get_admin_context(), image["id"], {
            "size": 10, "checksum": "c", "os_hash_algo": "sha512", "os_hash_value": "h",
            "disk_format": "qcow2", "properties": {"image_type": "snapshot"}})
        shown = images_db.get(context.get_admin_context(), image["id"])
        self.assertEqual(("active", 10, "qcow2", "snapshot"),
                         (shown.status, shown.size, shown.disk_format,
                          shown.properties["image_type"]))
        failed = self.create(visibility="private")
        images_db.snapshot_finished(context.get_admin_context(), failed["id"], None)
        self.assertEqual(404, self.client.simulate_get(
            f"{V2}/images/{failed['id']}", headers=self.admin).status_code)

    def test_schemas(self) -> None:
        schema = self.client.simulate_get(f"{V2}/schemas/image", headers=self.admin).json
        self.assertEqual("image", schema["name"])
        self.assertIn("visibility", schema["properties"])

    def test_members_of_a_shared_image(self) -> None:
        image = self.create(name="shared")
        project = self.client.simulate_get("/identity/v3/projects?name=demo",
                                           headers=self.admin).json["projects"][0]["id"]
        path = f"{V2}/images/{image['id']}/members"
        self.assertEqual(404, self.client.simulate_get(f"{V2}/images/{image['id']}",
                                                       headers=self.demo).status_code)
        added = self.client.simulate_post(path, json={"member": project},
                                          headers=self.admin)
        self.assertEqual("pending", added.json["status"])
        self.assertEqual(409, self.client.simulate_post(path, json={"member": project},
                                                        headers=self.admin).status_code)
        self.assertEqual(200, self.client.simulate_get(f"{V2}/images/{image['id']}",
                                                       headers=self.demo).status_code)

        def listed(query: str = "") -> list[str]:
            return [i["name"] for i in self.client.simulate_get(
                f"{V2}/images{query}", headers=self.demo).json["images"]]

        self.assertEqual([], listed())
        self.assertEqual(["shared"], listed("?visibility=shared&member_status=pending"))
        self.assertEqual(403, self.client.simulate_put(
            f"{path}/{project}", json={"status": "accepted"},
            headers=self.admin).status_code)  # only the member decides
        self.client.simulate_put(f"{path}/{project}", json={"status": "accepted"},
                                 headers=self.demo)
        self.assertEqual(["shared"], listed())
        self.assertEqual(403, self.client.simulate_post(path, json={"member": "x"},
                                                        headers=self.demo).status_code)
        self.assertEqual(204, self.client.simulate_delete(f"{path}/{project}",
                                                          headers=self.admin).status_code)
        self.assertEqual([], listed())
        private = self.create(visibility="private")
        self.assertEqual(403, self.client.simulate_post(
            f"{V2}/images/{private['id']}/members", json={"member": project},
            headers=self.admin).status_code)

    def test_draft_patch_form_and_no_image_id(self) -> None:
        image = self.create()
        resp = self.client.simulate_patch(
            f"{V2}/images/{image['id']}", body=json.dumps([{"replace": "/name",
                                                             "value": "v20"}]),
            headers={**self.admin,
                     "Content-Type": "application/openstack-images-v2.0-json-patch"})
        self.assertEqual("v20", resp.json["name"])
        self.assertEqual(404, self.client.simulate_get(f"{V2}/images/",
                                                       headers=self.admin).status_code)

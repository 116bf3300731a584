"""Extensions (only the implemented ones), quotas and tags through the API."""
from tests.unit.base import network_api as base


class ExtensionsTest(base.NetworkAPITestCase):
    def test_list_and_show(self) -> None:
        listed = self.call("GET", "/extensions", status=200).json["extensions"]
        aliases = [e["alias"] for e in listed]
        for alias in ("router", "security-group", "external-net", "provider", "binding"):
            self.assertIn(alias, aliases)
        self.assertNotIn("external-gateway-multihoming", aliases)
        shown = self.call("GET", "/extensions/router", status=200).json["extension"]
        self.assertEqual(next(e for e in listed if e["alias"] == "router"), shown)
        for absent in ("external-gateway-multihoming", "tag-ports-during-bulk-creation"):
            self.call("GET", f"/extensions/{absent}", status=404)


class QuotasTest(base.NetworkAPITestCase):
    def test_show_update_details_delete(self) -> None:
        project = "some-project"
        self.assertEqual(100, self.call("GET", f"/quotas/{project}", headers=self.admin,
                                        status=200).json["quota"]["network"])
        self.call("PUT", f"/quotas/{project}", {"quota": {"network": 1}}, status=403)
        updated = self.call("PUT", f"/quotas/{project}", {"quota": {"network": 1}},
                            headers=self.admin, status=200).json["quota"]
        self.assertEqual(1, updated["network"])
        self.create("networks", "network", {"project_id": project}, self.admin)
        over = self.call("POST", "/networks", {"network": {"project_id": project}},
                         headers=self.admin, status=409)
        self.assertEqual("OverQuota", self.error_type(over))
        details = self.call("GET", f"/quotas/{project}/details", headers=self.admin,
                            status=200).json["quota"]
        self.assertEqual({"limit": 1, "used": 1, "reserved": 0}, details["network"])
        listed = self.call("GET", "/quotas", headers=self.admin, status=200).json["quotas"]
        self.assertEqual([project], [q["project_id"] for q in listed])
        self.call("DELETE", f"/quotas/{project}", headers=self.admin, status=204)
        self.assertEqual(100, self.call("GET", f"/quotas/{project}/default",
                                        headers=self.admin).json["quota"]["network"])
        self.call("GET", f"/quotas/{project}", status=403)


class TagsTest(base.NetworkAPITestCase):
    def test_tag_api_and_filters(self) -> None:
        net = self.create("networks", "network", {"name": "n"})
        other = self.create("networks", "network", {"name": "o"})
        path = f"/networks/{net['id']}/tags"
        self.assertEqual(["a", "b"], self.call("PUT", path, {"tags": ["b", "a"]},
                                               status=200).json["tags"])
        self.call("PUT", f"{path}/c", status=201)
        self.call("GET", f"{path}/c", status=204)
        self.call("GET", f"{path}/zz", status=404)
        self.assertEqual(["a", "b", "c"], self.call("GET", path).json["tags"])
        self.call("DELETE", f"{path}/a", status=204)

        def names(query: str) -> set[str]:
            return {n["name"] for n in self.call("GET", "/networks",
                                                 query=query).json["networks"]}
        self.assertEqual({"n"}, names("tags=b,c"))
        self.assertEqual({"n"}, names("tags-any=c,x"))
        self.assertEqual({"o"}, names("not-tags=b"))
        self.call("DELETE", path, status=204)
        self.assertEqual([], self.call("GET", path).json["tags"])
        sg = self.call("GET", "/security-groups").json["security_groups"][0]
        self.call("PUT", f"/security-groups/{sg['id']}/tags/x", status=201)
        # Tags bump revisions: every tag write is cast, like any other change.
        self.assertEqual(5, self.synced().count(("network", net["id"])))  # create + 4 tags
        self.assertEqual(1, self.synced().count(("network", other["id"])))
        self.assertIn(("security_group", sg["id"]), self.synced())

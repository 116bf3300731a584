"""Networks through the API: envelopes, bulk create, fields, filters, sorting, paging,
Neutron errors, admin-only attributes and the cast that follows each write."""
from urllib.parse import parse_qs, urlparse

from tests.unit.base import network_api as base


class NetworksTest(base.NetworkAPITestCase):
    def test_crud_and_casts(self) -> None:
        net = self.create("networks", "network", {"name": "n1", "admin_state_up": True})
        self.assertEqual(("n1", "ACTIVE", False), (net["name"], net["status"],
                                                    net["router:external"]))
        self.assertEqual(net["project_id"], net["tenant_id"])
        self.assertEqual("geneve", net["provider:network_type"])
        self.assertEqual(1442, net["mtu"])
        shown = self.call("GET", f"/networks/{net['id']}", status=200).json["network"]
        self.assertEqual(net["id"], shown["id"])
        updated = self.call("PUT", f"/networks/{net['id']}",
                            {"network": {"name": "n2", "mtu": 1400}}, status=200)
        self.assertEqual(("n2", 1400), (updated.json["network"]["name"],
                                        updated.json["network"]["mtu"]))
        self.call("DELETE", f"/networks/{net['id']}", status=204)
        self.assertEqual([("network", net["id"])] * 3, self.synced())
        missing = self.call("GET", f"/networks/{net['id']}", status=404)
        self.assertEqual("NetworkNotFound", self.error_type(missing))

    def test_bulk_create_is_all_or_nothing(self) -> None:
        resp = self.call("POST", "/networks", {"networks": [{"name": "a"}, {"name": "b"}]},
                         status=201)
        self.assertEqual(["a", "b"], [n["name"] for n in resp.json["networks"]])
        bad = self.call("POST", "/networks", {"networks": [{"name": "c"}, {"bogus": 1}]},
                        status=400)
        self.assertEqual("InvalidInput", self.error_type(bad))
        names = [n["name"] for n in self.call("GET", "/networks").json["networks"]]
        self.assertNotIn("c", names)

    def test_repeated_fields_filters_and_sorting(self) -> None:
        for name in ("b", "a", "c"):
            self.create("networks", "network", {"name": name})
        resp = self.call("GET", "/networks", status=200,
                         query="fields=id&fields=name&sort_key=name&sort_dir=desc")
        nets = resp.json["networks"]
        self.assertEqual(["c", "b", "a"], [n["name"] for n in nets])
        self.assertEqual({"id", "name"}, set(nets[0]))
        only = self.call("GET", "/networks", query="name=a&name=c").json["networks"]
        self.assertEqual({"a", "c"}, {n["name"] for n in only})
        shown = self.call("GET", f"/networks/{nets[0]['id']}", query="fields=mtu")
        self.assertEqual({"mtu": 1442}, shown.json["network"])
        external = self.call("GET", "/networks", query="router:external=True")
        self.assertEqual([], external.json["networks"])

    def test_pagination_links(self) -> None:
        for name in ("a", "b", "c"):
            self.create("networks", "network", {"name": name})
        first = self.call("GET", "/networks", query="limit=2&sort_key=name").json
        self.assertEqual(["a", "b"], [n["name"] for n in first["networks"]])
        (link,) = first["networks_links"]
        self.assertEqual("next", link["rel"])
        query = parse_qs(urlparse(link["href"]).query)
        self.assertEqual(first["networks"][1]["id"], query["marker"][0])
        second = self.call("GET", "/networks", query=urlparse(link["href"]).query).json
        self.assertEqual(["c"], [n["name"] for n in second["networks"]])
        self.assertEqual(["previous"], [x["rel"] for x in second["networks_links"]])
        self.assertNotIn("networks_links", self.call("GET", "/networks").json)
        bad = self.call("GET", "/networks", query="limit=x", status=400)
        self.assertIn("NeutronError", bad.json)
        self.call("GET", "/networks", query="sort_key=name&sort_dir=up", status=400)

    def test_admin_attributes_and_other_projects(self) -> None:
        forbidden = self.call("POST", "/networks", {"network": {"shared": True}},
                              status=403)
        self.assertEqual("HTTPForbidden", self.error_type(forbidden))
        provider = {"name": "public", "router:external": True,
                    "provider:network_type": "flat",
                    "provider:physical_network": "physnet1"}
        ext = self.create("networks", "network", provider, self.admin)
        self.assertEqual(("flat", "physnet1", None),
                         (ext["provider:network_type"], ext["provider:physical_network"],
                          ext["provider:segmentation_id"]))
        visible = [n["id"] for n in self.call("GET", "/networks").json["networks"]]
        self.assertIn(ext["id"], visible)  # external networks are visible to all
        self.call("DELETE", f"/networks/{ext['id']}", status=403)
        theirs = self.create("networks", "network",
                             {"name": "for-demo", "project_id": "other-project"}, self.admin)
        self.assertEqual("other-project", theirs["tenant_id"])
        self.call("POST", "/networks", {"network": {"project_id": "other-project"}},
                  status=403)

    def test_bad_bodies(self) -> None:
        missing = self.call("POST", "/networks", {"net": {}}, status=400)
        self.assertEqual("HTTPBadRequest", self.error_type(missing))
        self.call("POST", "/networks", {"network": []}, status=400)
        resp = self.client.simulate_post(base.V2 + "/networks", body="{",
                                         headers=self.demo)
        self.assertEqual(400, resp.status_code)
        unknown = self.call("GET", "/nowhere", status=404)
        self.assertEqual("HTTPNotFound", self.error_type(unknown))
        self.assertEqual([], self.synced())

    def test_unauthenticated_is_401_and_discovery_is_public(self) -> None:
        resp = self.client.simulate_get(base.V2 + "/networks")
        self.assertEqual(401, resp.status_code)
        self.assertIn("NeutronError", resp.json)
        version = self.client.simulate_get(base.V2)
        self.assertIn("networks", [r["collection"] for r in version.json["resources"]])
        self.assertEqual("v2.0", self.client.simulate_get("/network").json[
            "versions"][0]["id"])

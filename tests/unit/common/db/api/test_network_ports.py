"""Ports: security groups, port security, address pairs, binding, DNS, ownership."""
from common import exceptions
from tests.network_requests import network_ports as ports
from tests.network_requests import network_security_groups as security_groups
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ADMIN, ALICE, BOB


class PortTest(network_helpers.NetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.net = self.network()
        self.sub = self.subnet(self.net)

    def test_defaults(self) -> None:
        port = self.port(self.net, name="p")
        default = [sg for sg in security_groups.list_security_groups(ALICE)
                   if sg["name"] == "default"][0]
        self.assertEqual([default["id"]], port["security_groups"])
        self.assertEqual(("DOWN", True, True, "unbound", "", 1),
                         (port["status"], port["admin_state_up"],
                          port["port_security_enabled"], port["binding:vif_type"],
                          port["device_owner"], port["revision_number"]))
        self.assertEqual([{"hostname": "host-10-0-0-2", "ip_address": "10.0.0.2",
                           "fqdn": "host-10-0-0-2.openstacklocal."}], port["dns_assignment"])

    def test_port_security_off_goes_without_groups_and_pairs(self) -> None:
        port = self.port(self.net, port_security_enabled=False)
        self.assertEqual([], port["security_groups"])
        with self.assertRaises(exceptions.PortSecurityAndIPRequiredForSecurityGroups):
            ports.update_port(ALICE, port["id"], {"security_groups": [
                security_groups.list_security_groups(ALICE)[0]["id"]]})
        with self.assertRaises(exceptions.AddressPairAndPortSecurityRequired):
            ports.update_port(ALICE, port["id"], {"allowed_address_pairs": [
                {"ip_address": "10.0.0.200"}]})
        secure = self.port(self.net)
        with self.assertRaises(exceptions.PortSecurityAndIPRequiredForSecurityGroups):
            ports.update_port(ALICE, secure["id"], {"port_security_enabled": False})
        insecure = ports.update_port(ALICE, secure["id"], {"port_security_enabled": False,
                                                           "security_groups": []})
        self.assertFalse(insecure["port_security_enabled"])

    def test_allowed_address_pairs(self) -> None:
        port = self.port(self.net, allowed_address_pairs=[
            {"ip_address": "10.0.0.100"},
            {"ip_address": "10.1.0.0/24", "mac_address": "fa:16:3e:00:00:09"}])
        self.assertEqual(sorted([{"ip_address": "10.0.0.100", "mac_address": port["mac_address"]},
                                 {"ip_address": "10.1.0.0/24",
                                  "mac_address": "fa:16:3e:00:00:09"}], key=str),
                         sorted(port["allowed_address_pairs"], key=str))

    def test_groups_must_be_the_projects(self) -> None:
        theirs = security_groups.create_security_group(BOB, {"name": "web"})
        with self.assertRaises(exceptions.SecurityGroupNotFound):
            self.port(self.net, security_groups=[theirs["id"]])

    def test_binding_is_for_admins_and_sets_the_vif_type(self) -> None:
        port = self.port(self.net)
        with self.assertRaises(exceptions.Forbidden):
            ports.update_port(ALICE, port["id"], {"binding:host_id": "compute1"})
        bound = ports.update_port(ADMIN, port["id"], {"binding:host_id": "compute1",
                                                      "device_id": "vm1",
                                                      "device_owner": "compute:nova"})
        self.assertEqual(("compute1", "ovs", "br-int"),
                         (bound["binding:host_id"], bound["binding:vif_type"],
                          bound["binding:vif_details"]["bridge_name"]))
        self.assertEqual(2, bound["revision_number"])

    def test_dns_name(self) -> None:
        port = self.port(self.net, dns_name="web-1")
        self.assertEqual("web-1.openstacklocal.", port["dns_assignment"][0]["fqdn"])
        with self.assertRaises(exceptions.InvalidInput):
            self.port(self.net, dns_name="not_valid!")

    def test_visibility(self) -> None:
        port = self.port(self.net)
        with self.assertRaises(exceptions.PortNotFound):
            ports.get_port(BOB, port["id"])
        with self.assertRaises(exceptions.NetworkNotFound):
            self.port(self.net, ctxt=BOB)
        self.assertEqual([port["id"]], [p["id"] for p in ports.list_ports(ALICE)])
        self.assertEqual([], ports.list_ports(BOB))

    def test_list_filters_by_fixed_ip(self) -> None:
        first, second = self.port(self.net), self.port(self.net)
        found = ports.list_ports(ALICE, filters={"fixed_ips": ["ip_address=10.0.0.3"]})
        self.assertEqual([second["id"]], [p["id"] for p in found])
        found = ports.list_ports(ALICE, filters={"fixed_ips": [f"subnet_id={self.sub['id']}"]})
        self.assertEqual(sorted([first["id"], second["id"]]), sorted(p["id"] for p in found))

    def test_bulk_create(self) -> None:
        made = ports.create_ports(ALICE, [{"network_id": self.net["id"]}] * 3)
        self.assertEqual(["10.0.0.2", "10.0.0.3", "10.0.0.4"],
                         [p["fixed_ips"][0]["ip_address"] for p in made])

"""Config drives: an ISO 9660 volume labelled config-2 in OpenStack's layout
(openstack/latest/meta_data.json, network_data.json, user_data, vendor_data.json).

Built with ``[libvirt] mkisofs_cmd`` (genisoimage, Debian package genisoimage; or
xorrisofs from xorriso).
"""
import base64
import binascii
import json
import os
import subprocess
import tempfile

from common import exceptions
from common.config import CONF
from services.compute import vifs


def meta_data(instance: dict) -> dict:
    keys = []
    if instance.get("key_name") and instance.get("key_data"):
        keys.append({"name": instance["key_name"], "type": "ssh",
                     "data": instance["key_data"]})
    return {"uuid": instance["uuid"], "name": instance.get("display_name") or "",
            "hostname": instance.get("hostname") or "",
            "launch_index": instance.get("launch_index", 0),
            "availability_zone": instance.get("availability_zone"),
            "project_id": instance.get("project_id"),
            "meta": instance.get("metadata") or {},
            "public_keys": {key["name"]: key["data"] for key in keys}, "keys": keys,
            "random_seed": base64.b64encode(os.urandom(512)).decode(), "devices": []}


def network_data(network_info: list[dict]) -> dict:
    """One link per VIF; its addresses come from DHCP (OVN answers it)."""
    links, networks = [], []
    for index, vif in enumerate(network_info):
        link_id = vifs.tap_name(vif["id"])
        links.append({"id": link_id, "vif_id": vif["id"], "type": "ovs",
                      "mtu": vif.get("mtu"), "ethernet_mac_address": vif["address"]})
        networks.append({"id": f"network{index}", "link": link_id, "type": "ipv4_dhcp",
                         "network_id": vif.get("network_id")})
    return {"links": links, "networks": networks, "services": []}


def _user_data(instance: dict) -> bytes | None:
    data = instance.get("user_data")
    if not data:
        return None
    try:
        return base64.b64decode(data, validate=True)  # the API stores it base64
    except (binascii.Error, ValueError):
        return data.encode()


def build(instance: dict, network_info: list[dict], path: str) -> None:
    """Write the config drive ISO of ``instance`` to ``path``."""
    with tempfile.TemporaryDirectory(prefix="strato-configdrive-") as root:
        latest = os.path.join(root, "openstack", "latest")
        os.makedirs(latest)
        files = {"meta_data.json": json.dumps(meta_data(instance)).encode(),
                 "network_data.json": json.dumps(network_data(network_info)).encode(),
                 "vendor_data.json": b"{}", "vendor_data2.json": b"{}"}
        user_data = _user_data(instance)
        if user_data is not None:
            files["user_data"] = user_data
        for name, content in files.items():
            with open(os.path.join(latest, name), "wb") as f:
                f.write(content)
        command = [CONF.libvirt.mkisofs_cmd, "-o", path, "-ldots", "-allow-lowercase",
                   "-allow-multidot", "-l", "-publisher", "Strato", "-quiet", "-J", "-r",
                   "-V", "config-2", root]
        try:
            subprocess.run(command, check=True, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or str(error)
            raise exceptions.StratoError(f"config drive of {instance['uuid']}: "
                                         f"{detail.strip()}") from error

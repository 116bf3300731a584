"""Time from ``POST /servers`` to ACTIVE of a libvirt guest, beside ``virsh create`` of
the same domain XML, measured in the same run.

Starts a private cloud (api, conductor, scheduler, compute agent with the libvirt
driver under TCG, on a private RabbitMQ vhost), uploads the tiny image
(devstack/tools/build-tiny-image.sh) through the image API, then ``--runs`` times:
boots m1.nano with ``--nic none`` through the compute API and waits for ACTIVE; takes
that guest's domain XML, gives it a new name, uuid, disk copy and console log, and
times ``createXML`` until the domain runs (the floor: what libvirt alone costs).
Everything made is deleted and every process stopped before it exits.

    .venv/bin/python benchmarks/compute_boot.py [--runs 3]
        [--uri qemu:///system]   # a libvirtd must answer there (stack.sh starts one)

Prints the median seconds of each and their ratio (API / virsh).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import libvirt  # noqa: E402

from tests.functional.fixtures import private_cloud  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_SCRIPT = os.path.join(ROOT, "devstack", "tools", "build-tiny-image.sh")
TIMEOUT = 180


def upload_tiny_image(cloud: private_cloud.Cloud) -> str:
    with tempfile.TemporaryDirectory(prefix="strato-bench-tiny-") as out:
        subprocess.run(["bash", BUILD_SCRIPT, out], check=True, capture_output=True)

        def read(name: str) -> bytes:
            with open(os.path.join(out, name), "rb") as f:
                return f.read()

        kernel = cloud.upload_image("tiny-kernel", read("strato-tiny-vmlinuz"), "aki")
        ramdisk = cloud.upload_image("tiny-ramdisk", read("strato-tiny-initrd.img"), "ari")
        return cloud.upload_image("tiny", read("strato-tiny-disk.raw"), "ami",
                                  kernel_id=kernel, ramdisk_id=ramdisk,
                                  os_command_line="console=ttyS0 quiet panic=-1")


def wait(predicate, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {TIMEOUT}s")
        time.sleep(0.05)


def boot_through_api(cloud: private_cloud.Cloud, image_id: str) -> tuple[float, str]:
    """Seconds from POST /servers to status ACTIVE, and the server id."""
    started = time.monotonic()
    status, body = cloud.request("POST", "/compute/v2.1/servers", {"server": {
        "name": "bench", "imageRef": image_id, "flavorRef": "1", "networks": "none"}},
        headers={"OpenStack-API-Version": "compute 2.37"})
    if status != 202:
        raise RuntimeError(f"server create: {status} {body}")
    server_id = body["server"]["id"]

    def active() -> bool:
        state = cloud.request("GET", f"/compute/v2.1/servers/{server_id}")[1]["server"]
        if state["status"] == "ERROR":
            raise RuntimeError(f"server went to ERROR: {state.get('fault')}")
        return state["status"] == "ACTIVE"

    wait(active, "ACTIVE")
    return time.monotonic() - started, server_id


def delete_server(cloud: private_cloud.Cloud, server_id: str) -> None:
    path = f"/compute/v2.1/servers/{server_id}"
    cloud.request("DELETE", path)
    wait(lambda: cloud.request("GET", path)[0] == 404, "server deleted")


def copy_domain_xml(xml: str, workdir: str) -> str:
    """The same domain under a new name and uuid, on copies of its files (disk, config
    drive, kernel, initrd: the API's delete removes them) with its own console log."""
    root = ET.fromstring(xml)
    root.find("name").text = f"bench-virsh-{uuid.uuid4().hex[:8]}"
    root.find("uuid").text = str(uuid.uuid4())

    def copied(path: str, index: int) -> str:
        copy = os.path.join(workdir, f"{index}-{os.path.basename(path)}")
        shutil.copyfile(path, copy)
        return copy

    for index, element in enumerate([*root.iter("kernel"), *root.iter("initrd")]):
        element.text = copied(element.text, index)
    for index, disk in enumerate(root.iter("disk")):
        source = disk.find("source")
        if source is not None and source.get("file"):
            source.set("file", copied(source.get("file"), 100 + index))
    for index, device in enumerate([*root.iter("serial"), *root.iter("console")]):
        source = device.find("source")
        if source is not None and source.get("path"):
            source.set("path", os.path.join(workdir, f"console-{index}.log"))
    return ET.tostring(root, encoding="unicode")


def boot_through_virsh(conn: libvirt.virConnect, xml: str) -> float:
    started = time.monotonic()
    domain = conn.createXML(xml, 0)
    try:
        wait(lambda: domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING, "virsh domain running")
        return time.monotonic() - started
    finally:
        domain.destroy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--uri", default=os.environ.get("STRATO_LIBVIRT_URI",
                                                         "qemu:///system"))
    args = parser.parse_args()
    conn = libvirt.open(args.uri)
    cloud = private_cloud.Cloud("libvirt", f"[libvirt]\nvirt_type = qemu\n"
                                           f"connection_uri = {args.uri}\n")
    api_times, virsh_times = [], []
    try:
        cloud.start()
        image_id = upload_tiny_image(cloud)
        for _ in range(args.runs):
            seconds, server_id = boot_through_api(cloud, image_id)
            api_times.append(seconds)
            instance = cloud.request("GET", f"/compute/v2.1/servers/{server_id}")[1]
            name = instance["server"]["OS-EXT-SRV-ATTR:instance_name"]
            with tempfile.TemporaryDirectory(prefix="strato-bench-virsh-") as workdir:
                xml = copy_domain_xml(conn.lookupByName(name).XMLDesc(0), workdir)
                delete_server(cloud, server_id)
                virsh_times.append(boot_through_virsh(conn, xml))
    finally:
        cloud.stop()
        conn.close()
    api, virsh = statistics.median(api_times), statistics.median(virsh_times)
    print(f"api_to_active_s median={api:.2f} runs={[round(t, 2) for t in api_times]}")
    print(f"virsh_create_s  median={virsh:.2f} runs={[round(t, 2) for t in virsh_times]}")
    print(f"ratio api/virsh = {api / virsh:.1f}")


if __name__ == "__main__":
    main()

"""The libvirt driver: one persistent domain per instance, named by the instance.

An instance's files live in <instances_path>/<uuid>/: ``disk`` (a qcow2 overlay on the
cached base image), ``disk.eph0``/``disk.swap`` when the flavor asks, ``disk.config``
(the config drive), ``kernel``/``ramdisk`` for a direct kernel boot (an image whose
properties name a kernel_id and ramdisk_id; otherwise the disk boots), ``console.log``,
and ``guest.json`` (what a redefinition needs besides the instance: NICs, cmdline).
A guest's NICs are taps libvirt creates when the guest starts and removes when it stops;
the agent plugs them into OVS (vifs.py) right after every start, and unplugs them when
it stops or destroys the guest.
A resize or cold migration keeps the old directory as ``<uuid>_resize`` on the source
until it is confirmed or reverted; a destination on another host copies the files from
there through the source's libvirtd. A live migration is libvirt's
peer-to-peer migration between the two hosts' libvirtds, the disks copied along (block
migration) when the hosts share no storage.
"""
import contextlib
import errno
import ipaddress
import json
import os
import shutil
import threading
import time

from oslo_log import log as logging

from common import exceptions
from common.compute_states import PowerState
from common.config import CONF
from services.compute import images, vifs
from services.compute.virt import driver
from services.compute.virt.libvirt import config, configdrive, console, disk, imagecache

LOG = logging.getLogger(__name__)
GiB = disk.GiB
POLL = 0.5  # seconds between two looks at a guest that is shutting down
# In an instance's directory while a block migration is bringing it here.
INCOMING = ".incoming-migration"

try:
    import libvirt
except ImportError:  # pip install libvirt-python (the [libvirt] extra)
    libvirt = None
else:
    # libvirt prints every error to stderr unless told otherwise; ours are exceptions.
    libvirt.registerErrorHandler(lambda _ctx, _error: None, None)

_STATES = {0: PowerState.NOSTATE, 1: PowerState.RUNNING, 2: PowerState.RUNNING,
           3: PowerState.PAUSED, 4: PowerState.SHUTDOWN, 5: PowerState.SHUTDOWN,
           6: PowerState.CRASHED, 7: PowerState.SUSPENDED}


def _address_or_empty(value: str) -> str:
    """``value`` when it is an IP address (a host name is no host_ip)."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def _cache_mode(directory: str) -> str:
    """'none' (O_DIRECT, as Nova prefers) where the filesystem allows it (tmpfs does
    not), else 'writeback'."""
    os.makedirs(directory, exist_ok=True)
    probe = os.path.join(directory, ".directio.test")
    try:
        fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_DIRECT)
        os.close(fd)
        return "none"
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
        return "writeback"
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(probe)


class LibvirtDriver(driver.ComputeDriver):
    def __init__(self, fetcher: images.ImageFetcher | None = None,
                 plugger: vifs.OvsPlugger | None = None) -> None:
        if libvirt is None:
            raise exceptions.StratoError("the libvirt driver needs libvirt-python")
        self.uri = CONF.libvirt.connection_uri or "qemu:///system"
        self.instances_path = CONF.compute.instances_path
        self.cache = imagecache.ImageCache(os.path.join(self.instances_path, "_base"),
                                           fetcher or images.LocalImageFetcher())
        self.vifs = plugger or vifs.OvsPlugger()
        self.host = ""
        self._conn = None
        self._conn_lock = threading.Lock()
        self._disk_cache_mode: str | None = None

    # --- connection and lookups -----------------------------------------------------------

    @property
    def conn(self):
        with self._conn_lock:
            if self._conn is None or not self._conn.isAlive():
                self._conn = libvirt.open(self.uri)
            return self._conn

    def init_host(self, host: str) -> None:
        self.host = host
        os.makedirs(self.instances_path, exist_ok=True)
        LOG.info("libvirt driver on %s: %s, virt_type %s", host, self.uri,
                 CONF.libvirt.virt_type)

    def cleanup_host(self) -> None:
        self.vifs.close()
        with self._conn_lock:
            if self._conn is not None:
                with contextlib.suppress(libvirt.libvirtError):
                    self._conn.close()
                self._conn = None

    def _domain(self, instance: dict):
        try:
            return self.conn.lookupByUUIDString(instance["uuid"])
        except libvirt.libvirtError as error:
            if error.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise

    def _require_domain(self, instance: dict):
        domain = self._domain(instance)
        if domain is None:
            raise exceptions.InstanceNotFound(instance_id=instance["uuid"])
        return domain

    def instance_dir(self, instance: dict) -> str:
        return os.path.join(self.instances_path, instance["uuid"])

    def _resize_dir(self, instance: dict) -> str:
        return self.instance_dir(instance) + "_resize"

    # --- building the guest ---------------------------------------------------------------

    def spawn(self, instance: dict, image_meta: dict, network_info: list | None = None,
              admin_password: str | None = None) -> None:
        directory = self.instance_dir(instance)
        os.makedirs(directory, exist_ok=True)
        try:
            cmdline = self._create_files(instance, image_meta, network_info or [])
            self._save_guest_json(instance, {"network_info": network_info or [],
                                             "cmdline": cmdline})
            self._start(instance, self._define(instance))
        except Exception:
            with contextlib.suppress(Exception):
                self.destroy(instance, destroy_disks=True)
            raise

    def _create_files(self, instance: dict, image_meta: dict, network_info: list) -> str | None:
        """The disks, kernel, ramdisk and config drive; the kernel cmdline, if any."""
        directory = self.instance_dir(instance)
        flavor = instance["flavor"]
        image_id = image_meta.get("id") or instance.get("image_ref")
        if not image_id:
            raise exceptions.BuildAbortException(instance_uuid=instance["uuid"],
                                                 reason="booting from volume is not supported")
        base, base_format = self.cache.ensure(image_id, image_meta.get("disk_format"))
        root = int(flavor.get("root_gb") or 0) * GiB
        size = max(root, disk.info(base)["virtual-size"])
        disk.create_overlay(base, base_format, os.path.join(directory, "disk"), size)
        if flavor.get("ephemeral_gb"):
            disk.create_blank(os.path.join(directory, "disk.eph0"),
                              int(flavor["ephemeral_gb"]) * GiB)
        if flavor.get("swap"):
            disk.create_blank(os.path.join(directory, "disk.swap"), int(flavor["swap"]) << 20)
        if instance.get("config_drive") or CONF.compute.force_config_drive:
            configdrive.build(instance, network_info, os.path.join(directory, "disk.config"))
        return self._kernel_files(directory, image_meta.get("properties") or {})

    def _kernel_files(self, directory: str, properties: dict) -> str | None:
        kernel_id = properties.get("kernel_id")
        if not kernel_id:
            return None
        for name, image_id in (("kernel", kernel_id), ("ramdisk", properties.get("ramdisk_id"))):
            if image_id:
                path, _format = self.cache.ensure(image_id)
                shutil.copyfile(path, os.path.join(directory, name))
        return properties.get("os_command_line") or CONF.libvirt.default_cmdline

    def _save_guest_json(self, instance: dict, data: dict) -> None:
        with open(os.path.join(self.instance_dir(instance), "guest.json"), "w") as f:
            json.dump(data, f)

    def _guest_json(self, instance: dict, directory: str | None = None) -> dict:
        try:
            with open(os.path.join(directory or self.instance_dir(instance),
                                   "guest.json")) as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    def guest_config(self, instance: dict) -> config.Guest:
        """The domain of ``instance`` from its flavor and the files in its directory."""
        directory = self.instance_dir(instance)
        saved = self._guest_json(instance)
        if self._disk_cache_mode is None:
            self._disk_cache_mode = _cache_mode(self.instances_path)
        disks = [config.Disk(os.path.join(directory, name), target, cache=self._disk_cache_mode)
                 for name, target in (("disk", "vda"), ("disk.eph0", "vdb"),
                                      ("disk.swap", "vdc"))
                 if os.path.exists(os.path.join(directory, name))]
        drive = os.path.join(directory, "disk.config")
        if os.path.exists(drive):
            disks.append(config.Disk(drive, "hdd", format="raw", bus="ide", device="cdrom",
                                     readonly=True, cache=self._disk_cache_mode))
        kernel = os.path.join(directory, "kernel")
        ramdisk = os.path.join(directory, "ramdisk")
        has_kernel = os.path.exists(kernel)
        flavor = instance["flavor"]
        return config.Guest(
            name=instance.get("instance_name") or instance["uuid"], uuid=instance["uuid"],
            memory_mb=int(flavor["memory_mb"]), vcpus=int(flavor["vcpus"]),
            virt_type=CONF.libvirt.virt_type, machine=CONF.libvirt.hw_machine_type,
            kernel=kernel if has_kernel else None,
            initrd=ramdisk if has_kernel and os.path.exists(ramdisk) else None,
            cmdline=saved.get("cmdline") if has_kernel else None, disks=disks,
            interfaces=[self._interface(vif) for vif in saved.get("network_info", [])],
            console_log=os.path.join(directory, "console.log"),
            tb_cache_mb=CONF.libvirt.tb_cache_mb,
            metadata={"name": instance.get("display_name") or "",
                      "flavor": flavor.get("name") or "",
                      "project": instance.get("project_id") or "",
                      "user": instance.get("user_id") or "", "host": self.host})

    @staticmethod
    def _interface(vif: dict) -> config.Interface:
        return config.Interface(device=vifs.tap_name(vif["id"]), mac=vif["address"],
                                mtu=vif.get("mtu"),
                                disable_offloads=CONF.libvirt.disable_vif_offloads)

    def _define(self, instance: dict):
        return self.conn.defineXML(config.domain_xml(self.guest_config(instance)))

    def _vifs(self, instance: dict) -> list[vifs.Vif]:
        """The NICs saved with the guest (in the resize backup while that is all)."""
        saved = (self._guest_json(instance)
                 or self._guest_json(instance, self._resize_dir(instance)))
        return [vifs.Vif(vif["id"], vif["address"], vifs.tap_name(vif["id"]))
                for vif in saved.get("network_info", [])]

    def _start(self, instance: dict, domain) -> None:
        """Start the guest, then plug its NICs: their taps exist from now on, so
        ovs-vswitchd opens them at once and ovn-controller binds the ports.

        A port left from an earlier run (the guest stopped by itself) goes first:
        ovs-vswitchd (userspace datapath) keeps reading the tap it opened then, and
        never reopens one that comes back under the same name.
        """
        nics = self._vifs(instance)
        self.vifs.unplug(instance["uuid"], nics)
        domain.create()
        try:
            self.vifs.plug(instance["uuid"], nics)
        except Exception:
            self._stop_now(domain)
            raise

    # --- teardown ---------------------------------------------------------------------------

    def destroy(self, instance: dict, destroy_disks: bool = True) -> None:
        domain = self._domain(instance)
        if domain is not None:
            self._stop_now(domain)
            self._undefine(domain)
        self._unplug(instance)
        if destroy_disks:
            for directory in (self.instance_dir(instance), self._resize_dir(instance)):
                shutil.rmtree(directory, ignore_errors=True)

    def _unplug(self, instance: dict) -> None:
        """After the guest stopped. As in Nova, OVS being down fails no stop or delete:
        the next start drops what is left, and a deleted port's leftover binds nothing
        (its switch port is gone)."""
        try:
            self.vifs.unplug(instance["uuid"], self._vifs(instance))
        except exceptions.VifPlugError as error:
            LOG.warning("%s", error.msg)

    @staticmethod
    def _stop_now(domain) -> None:
        try:
            if domain.isActive():
                domain.destroy()
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_OPERATION_INVALID:  # not running
                raise

    @staticmethod
    def _undefine(domain) -> None:
        flags = (libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                 | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                 | libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)
        try:
            domain.undefineFlags(flags)
        except libvirt.libvirtError as error:
            if error.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return
            domain.undefine()

    # --- power ------------------------------------------------------------------------------

    def _wait_off(self, domain, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not domain.isActive():
                return True
            time.sleep(POLL)
        return not domain.isActive()

    def power_off(self, instance: dict, timeout: int = 0) -> None:
        domain = self._require_domain(instance)
        if domain.isActive():
            self._shut_down(instance, domain, timeout)
        self._unplug(instance)  # its ports go DOWN, as the guest is

    def _shut_down(self, instance: dict, domain, timeout: int) -> None:
        if timeout:
            with contextlib.suppress(libvirt.libvirtError):
                domain.shutdown()  # ACPI power button
            if self._wait_off(domain, timeout):
                return
            LOG.info("instance %s did not shut down in %ss: forcing it off",
                     instance["uuid"], timeout)
        self._stop_now(domain)

    def power_on(self, instance: dict) -> None:
        domain = self._require_domain(instance)
        if not domain.isActive():
            self._start(instance, domain)

    def reboot(self, instance: dict, reboot_type: str, timeout: int = 0) -> None:
        domain = self._require_domain(instance)
        if reboot_type == "SOFT" and domain.isActive():
            with contextlib.suppress(libvirt.libvirtError):
                domain.shutdown()
            if self._wait_off(domain, timeout):
                self._start(instance, domain)
                return
            LOG.info("soft reboot of %s timed out: rebooting hard", instance["uuid"])
        # Hard: off, redefined from the current config (as Nova does), on.
        self._stop_now(domain)
        if domain.hasManagedSaveImage(0):
            domain.managedSaveRemove(0)
        self._start(instance, self._define(instance))

    def pause(self, instance: dict) -> None:
        self._require_domain(instance).suspend()

    def unpause(self, instance: dict) -> None:
        self._require_domain(instance).resume()

    def suspend(self, instance: dict) -> None:
        self._require_domain(instance).managedSave(0)
        self._unplug(instance)

    def resume(self, instance: dict) -> None:
        domain = self._require_domain(instance)
        if not domain.isActive():
            self._start(instance, domain)  # restores the managed save image

    # --- inspection ---------------------------------------------------------------------------

    def get_info(self, instance: dict) -> driver.InstanceInfo:
        domain = self._domain(instance)
        if domain is None:
            return driver.NOT_FOUND
        state, max_mem, mem, vcpus, cpu_time = domain.info()
        power = _STATES.get(state, PowerState.NOSTATE)
        if power == PowerState.SHUTDOWN and domain.hasManagedSaveImage(0):
            power = PowerState.SUSPENDED
        return driver.InstanceInfo(state=power, max_mem_kb=max_mem, mem_kb=mem,
                                   num_cpu=vcpus, cpu_time_ns=cpu_time)

    def get_console_output(self, instance: dict) -> str:
        return console.tail(os.path.join(self.instance_dir(instance), "console.log"))

    def list_instances(self) -> list[str]:
        """The guests this host's agent defined. A libvirtd may hold other guests: not
        Strato's (no metadata of ours) or another agent's sharing it (another host in
        the metadata, as a test cloud beside a running stack), which are not ours to
        reap."""
        uuids = []
        for domain in self.conn.listAllDomains(0):
            try:
                metadata = domain.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT,
                                           config.METADATA_NS)
            except libvirt.libvirtError:
                continue  # not one of ours
            if config.metadata_host(metadata) == self.host:
                uuids.append(domain.UUIDString())
        return uuids

    def get_available_resources(self) -> driver.HostResources:
        arch, memory_mb, cpus = self.conn.getInfo()[:3]
        stat = os.statvfs(self.instances_path)
        return driver.HostResources(
            vcpus=cpus, memory_mb=memory_mb,
            local_gb=stat.f_blocks * stat.f_frsize // GiB,
            hypervisor_type=CONF.libvirt.virt_type,
            hypervisor_version=self.conn.getVersion(),
            hypervisor_hostname=self.host or self.conn.getHostname(), cpu_arch=arch,
            host_ip=_address_or_empty(CONF.libvirt.live_migration_inbound_addr))

    # --- snapshot -----------------------------------------------------------------------------

    def snapshot(self, instance: dict, target: str, disk_format: str) -> None:
        """A flattened copy of the root disk; a running guest is paused meanwhile so the
        copy is consistent."""
        domain = self._require_domain(instance)
        paused = False
        if domain.info()[0] == libvirt.VIR_DOMAIN_RUNNING:
            domain.suspend()
            paused = True
        try:
            disk.convert(os.path.join(self.instance_dir(instance), "disk"), target,
                         disk_format)
        finally:
            if paused:
                domain.resume()

    # --- resize and cold migration ---------------------------------------------------------

    def migrate_disk_and_power_off(self, instance: dict, dest_host: str, flavor: dict,
                                   timeout: int = 0) -> dict:
        """Power off and set the directory aside as ``<uuid>_resize``: on this host the
        resize starts from it; another host fetches its files from this host's
        libvirtd (finish_migration) and it stays here until confirm or revert."""
        if int(flavor.get("root_gb") or 0) < int(instance["flavor"].get("root_gb") or 0):
            raise exceptions.ResizeError(reason="a disk cannot shrink")
        self.power_off(instance, timeout)
        os.rename(self.instance_dir(instance), self._resize_dir(instance))
        address = CONF.libvirt.live_migration_inbound_addr or self.host
        return {"backup": self._resize_dir(instance), "source_host": self.host,
                "source_uri": f"qemu+{CONF.libvirt.live_migration_scheme}://{address}/system"}

    def finish_migration(self, instance: dict, disk_info: dict, image_meta: dict,
                         power_on: bool) -> None:
        directory = self.instance_dir(instance)
        backup = disk_info["backup"]
        os.makedirs(directory, exist_ok=True)
        if disk_info.get("source_host", self.host) == self.host:
            for name in os.listdir(backup):
                if name != "disk.config":
                    shutil.copy2(os.path.join(backup, name), os.path.join(directory, name))
        else:
            self._fetch_from(disk_info["source_uri"], backup, directory, instance)
            self._rebase_on_local_cache(instance, image_meta, directory)
        flavor = instance["flavor"]
        disk.resize(os.path.join(directory, "disk"), int(flavor.get("root_gb") or 0) * GiB)
        if os.path.exists(os.path.join(backup, "disk.config")):
            configdrive.build(instance, self._guest_json(instance).get("network_info", []),
                              os.path.join(directory, "disk.config"))
        domain = self._define(instance)
        if power_on:
            self._start(instance, domain)

    @staticmethod
    def _fetch_from(source_uri: str, backup: str, directory: str, instance: dict) -> None:
        """Copy the files of the source host's ``backup`` directory here, through that
        host's libvirtd (a transient dir storage pool there, one download stream a
        file): the hosts need no shared storage and no ssh between them."""
        remote = libvirt.open(source_uri)
        pool = None
        try:
            pool = remote.storagePoolCreateXML(
                f"<pool type='dir'><name>strato-move-{instance['uuid']}</name>"
                f"<target><path>{backup}</path></target></pool>", 0)
            for name in pool.listVolumes():
                if name == "disk.config":
                    continue  # rebuilt here for the new host
                stream = remote.newStream(0)
                with open(os.path.join(directory, name), "wb") as target:
                    pool.storageVolLookupByName(name).download(stream, 0, 0, 0)
                    stream.recvAll(lambda _stream, data, f: f.write(data), target)
                    stream.finish()
        except libvirt.libvirtError as error:
            raise exceptions.ResizeError(
                reason=f"copying the disks from {source_uri} failed: "
                       f"{error.get_error_message()}") from error
        finally:
            if pool is not None:
                with contextlib.suppress(libvirt.libvirtError):
                    pool.destroy()
            remote.close()

    def _rebase_on_local_cache(self, instance: dict, image_meta: dict,
                               directory: str) -> None:
        """The copied root overlay reads from this host's copy of its image."""
        image_id = image_meta.get("id") or instance.get("image_ref")
        root = os.path.join(directory, "disk")
        if image_id and os.path.exists(root) and disk.info(root).get("backing-filename"):
            base, base_format = self.cache.ensure(image_id, image_meta.get("disk_format"))
            disk.rebase(root, base, base_format)

    def confirm_migration(self, instance: dict, same_host: bool) -> None:
        """On the source: the kept directory goes, and when the server moved to another
        host, its stopped domain here and its NICs' ports too."""
        if not same_host:
            domain = self._domain(instance)
            if domain is not None:
                self._stop_now(domain)
                self._undefine(domain)
            self._unplug(instance)
        shutil.rmtree(self._resize_dir(instance), ignore_errors=True)

    def finish_revert_migration(self, instance: dict, image_meta: dict,
                                power_on: bool) -> None:
        backup = self._resize_dir(instance)
        if not os.path.isdir(backup):
            raise exceptions.ResizeError(reason=f"nothing to revert to in {backup}")
        domain = self._domain(instance)
        if domain is not None:
            self._stop_now(domain)
        shutil.rmtree(self.instance_dir(instance), ignore_errors=True)
        os.rename(backup, self.instance_dir(instance))
        domain = self._define(instance)
        if power_on:
            self._start(instance, domain)

    # --- live migration -------------------------------------------------------------------------

    def pre_live_migration(self, instance: dict, image_meta: dict, network_info: list,
                           block_migration: bool) -> dict:
        """The destination's side: with a block migration, the instance's directory
        as a build makes it (overlays on this host's cached base image, which the
        migration fills with the source's blocks; kernel files; config drive);
        without one, the directory must already be here (shared storage). Its NICs
        are plugged before their taps exist: ovs-vswitchd opens each tap as soon as
        the incoming QEMU creates it."""
        directory = self.instance_dir(instance)
        if self._domain(instance) is not None:
            raise exceptions.MigrationPreCheckError(
                reason=f"instance {instance['uuid']} already has a domain on {self.host}")
        if block_migration:
            shutil.rmtree(directory, ignore_errors=True)  # a failed attempt's leftovers
            os.makedirs(directory)
            try:
                cmdline = self._create_files(instance, image_meta, network_info)
                self._save_guest_json(instance, {"network_info": network_info,
                                                 "cmdline": cmdline})
                open(os.path.join(directory, INCOMING), "w").close()
            except Exception:
                shutil.rmtree(directory, ignore_errors=True)
                raise
        elif not os.path.exists(os.path.join(directory, "disk")):
            raise exceptions.MigrationPreCheckError(
                reason=f"{directory} is not on storage shared with the source host: "
                       f"only a block migration can move the disks")
        nics = self._vifs(instance)
        self.vifs.unplug(instance["uuid"], nics)  # a leftover tap must not stay open
        self.vifs.plug(instance["uuid"], nics)
        address = CONF.libvirt.live_migration_inbound_addr or self.host
        return {"dest_host": self.host, "instance_dir": directory,
                "dest_uri": f"qemu+{CONF.libvirt.live_migration_scheme}://{address}/system",
                "migrate_uri": f"tcp://{address}"}

    def live_migration(self, instance: dict, migrate_data: dict,
                       block_migration: bool) -> None:
        """Peer to peer: this libvirtd talks to the destination's, QEMU sends the
        memory (and, in a block migration, the writable disks over NBD) to QEMU
        there. The domain is defined there and undefined here once the guest runs
        there; a failure or an abort leaves it running here."""
        domain = self._require_domain(instance)
        xml = config.moved_domain_xml(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE),
                                      self.instance_dir(instance),
                                      migrate_data["instance_dir"], migrate_data["dest_host"])
        flags = (libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER
                 | libvirt.VIR_MIGRATE_PERSIST_DEST | libvirt.VIR_MIGRATE_UNDEFINE_SOURCE)
        params = {libvirt.VIR_MIGRATE_PARAM_DEST_XML: xml,
                  libvirt.VIR_MIGRATE_PARAM_PERSIST_XML: xml,
                  libvirt.VIR_MIGRATE_PARAM_URI: migrate_data["migrate_uri"]}
        if block_migration:
            flags |= libvirt.VIR_MIGRATE_NON_SHARED_INC
            params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] = [
                disk.target for disk in self.guest_config(instance).disks
                if not disk.readonly]
        watchdog = self._completion_watchdog(instance, domain, block_migration)
        try:
            domain.migrateToURI3(migrate_data["dest_uri"], params, flags)
        except libvirt.libvirtError as error:
            raise exceptions.MigrationError(reason=error.get_error_message()) from error
        finally:
            watchdog.cancel()

    def _completion_watchdog(self, instance: dict, domain,
                             block_migration: bool) -> threading.Timer:
        """Abort a migration that runs longer than live_migration_completion_timeout
        seconds per GiB of memory (and of disk, when copied)."""
        flavor = instance["flavor"]
        gib = max(1.0, int(flavor["memory_mb"]) / 1024
                  + (int(flavor.get("root_gb") or 0) if block_migration else 0))
        timeout = CONF.compute.live_migration_completion_timeout * gib
        timer = threading.Timer(timeout or float("inf"), self._abort_job, (domain,))
        timer.daemon = True
        if timeout:
            timer.start()
        return timer

    @staticmethod
    def _abort_job(domain) -> None:
        try:
            domain.abortJob()
        except libvirt.libvirtError as error:
            LOG.info("no migration job to abort: %s", error.get_error_message())

    def live_migration_abort(self, instance: dict) -> None:
        self._abort_job(self._require_domain(instance))

    def live_migration_force_complete(self, instance: dict) -> None:
        """Pause the guest: it no longer dirties memory, so the copy converges (it
        runs again on the destination)."""
        self._require_domain(instance).suspend()

    def post_live_migration_at_source(self, instance: dict) -> None:
        self._unplug(instance)
        shutil.rmtree(self.instance_dir(instance), ignore_errors=True)

    def post_live_migration_at_destination(self, instance: dict) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(self.instance_dir(instance), INCOMING))
        domain = self._require_domain(instance)
        if domain.info()[0] == libvirt.VIR_DOMAIN_PAUSED and \
                instance.get("vm_state") == "active":
            domain.resume()  # a forced completion paused it

    def rollback_live_migration_at_destination(self, instance: dict) -> None:
        """The disks go only if they were made here (shared ones are the source's)."""
        made_here = os.path.exists(os.path.join(self.instance_dir(instance), INCOMING))
        self.destroy(instance, destroy_disks=made_here)

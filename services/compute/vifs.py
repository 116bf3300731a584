"""Guest NICs as ports of the integration bridge, plugged by the compute agent itself.

The hypervisor only creates the tap device (libvirt ``<interface type='ethernet'>``);
the agent adds a port of that name to ``[compute] integration_bridge`` through its own
OVSDB connection (``[compute] ovsdb_connection``), before the guest starts, with the
external_ids ovn-controller binds by (iface-id = the port id). ovs-vswitchd opens the
device as soon as it appears. Nothing depends on the hypervisor reaching the system's
OVS, so a test can point one agent at an Open vSwitch of its own.
"""
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from oslo_log import log as logging
from ovsdbapp.backend.ovs_idl import connection, idlutils, transaction
from ovsdbapp.schema.open_vswitch import impl_idl

from common import exceptions
from common.config import CONF

LOG = logging.getLogger(__name__)
TABLES = ("Open_vSwitch", "Bridge", "Port", "Interface")


class Vif(NamedTuple):
    port_id: str
    mac: str
    device: str  # the tap the hypervisor creates for it


def tap_name(port_id: str) -> str:
    """Nova's name of a port's tap device: fits IFNAMSIZ."""
    return ("tap" + port_id)[:14]


class _Transaction(transaction.Transaction):
    """Commits without waiting for ovs-vswitchd: the tap of a port plugged before its
    guest starts does not exist yet, which is no failure (ovsdbapp's default
    transaction waits for vswitchd and reports such interfaces as failed)."""

    def pre_commit(self, txn: Any) -> None:
        txn.expected_ifaces = set()  # where add_port records the interfaces it adds


class _Api(impl_idl.OvsdbIdl):
    # ovsdbapp keeps the connection in a class attribute (the first one made wins): a
    # plain attribute here gives each plugger its own.
    ovsdb_connection: Any = None

    def create_transaction(self, check_error: bool = False, log_errors: bool = True,
                           **kwargs: Any) -> _Transaction:
        return _Transaction(self, self.ovsdb_connection, check_error=check_error,
                            log_errors=log_errors)


class OvsPlugger:
    """Connects on first use, so hosts whose guests have no NICs never need OVS."""

    def __init__(self) -> None:
        self.remote = CONF.compute.ovsdb_connection
        self.bridge = CONF.compute.integration_bridge
        self.timeout = CONF.compute.ovsdb_timeout
        self._api: _Api | None = None
        self._lock = threading.Lock()

    def _connect(self) -> _Api:
        with self._lock:
            if self._api is None:
                idl = connection.OvsdbIdl.from_server(self.remote, "Open_vSwitch",
                                                      helper_tables=TABLES)
                self._api = _Api(connection.Connection(idl=idl, timeout=self.timeout))
            return self._api

    def close(self) -> None:
        with self._lock:
            if self._api is not None:
                self._api.ovsdb_connection.stop(timeout=self.timeout)
                self._api = None

    def plug(self, instance_uuid: str, vifs: list[Vif]) -> None:
        """Idempotent: a port that is there already gets its external_ids refreshed."""
        def commands(api: _Api, vif: Vif) -> list:
            external_ids = {"iface-id": vif.port_id, "attached-mac": vif.mac,
                            "vm-uuid": instance_uuid, "iface-status": "active"}
            return [api.add_port(self.bridge, vif.device, may_exist=True),
                    api.db_set("Interface", vif.device, ("external_ids", external_ids))]

        if self._write("plug", instance_uuid, vifs, commands):
            LOG.info("plugged %s of instance %s into %s",
                     ", ".join(v.device for v in vifs), instance_uuid, self.bridge)

    def unplug(self, instance_uuid: str, vifs: list[Vif]) -> None:
        """Idempotent: ports that are gone already are no error."""
        def commands(api: _Api, vif: Vif) -> list:
            return [api.del_port(vif.device, if_exists=True)]

        if self._write("unplug", instance_uuid, vifs, commands):
            LOG.info("unplugged %s of instance %s", ", ".join(v.device for v in vifs),
                     instance_uuid)

    def _write(self, action: str, instance_uuid: str, vifs: list[Vif],
               commands: Callable[[_Api, Vif], list]) -> bool:
        """One transaction of ``commands`` for every vif; False when there are none."""
        if not vifs:
            return False
        try:
            api = self._connect()
            with api.transaction(check_error=True) as txn:
                for vif in vifs:
                    for command in commands(api, vif):
                        txn.add(command)
        except Exception as error:
            raise self._error(action, instance_uuid, error) from error
        return True

    def _error(self, action: str, instance_uuid: str,
               error: Exception) -> exceptions.VifPlugError:
        if isinstance(error, idlutils.RowNotFound):
            reason = f"no bridge {self.bridge} in the OVSDB at {self.remote}"
        else:
            reason = f"OVSDB at {self.remote}: {error}"
        return exceptions.VifPlugError(action=action, instance_uuid=instance_uuid,
                                       reason=reason)

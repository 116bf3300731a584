"""The OVN backend: internal names of tenant networks in the northbound ``DNS`` table.

One DNS row per network, owned by Strato through its external_ids (``strato:owner`` =
``dns``, ``strato:network_id``), bound to the network's Logical_Switch. ovn-controller
then answers a guest's query for those names on the wire, sent to any address, with no
DNS server anywhere. ``Logical_Switch.dns_records`` is a weak reference: it takes the
row's uuid (a RowView is silently dropped), and deleting the row unbinds it.
"""
from typing import Any

from oslo_log import log as logging
from ovsdbapp.backend.ovs_idl import connection
from ovsdbapp.schema.ovn_northbound import impl_idl

from common import ovn_names
from common.config import CONF
from common.dns.snapshots import Network
from services.dns.backends.base import Backend

LOG = logging.getLogger(__name__)

OWNER_KEY, OWNER = ovn_names.OWNER_KEY, "dns"
NETWORK_KEY = "strato:network_id"


def find_switch(nb: impl_idl.OvnNbApiIdlImpl, network_id: str) -> Any | None:
    """The Logical_Switch the network agent made for ``network_id``, if any yet (named
    as common.ovn_names names it)."""
    name = ovn_names.switch_name(network_id)
    found = nb.db_find_rows("Logical_Switch", ("name", "=", name)).execute(check_error=True)
    return found[0] if found else None


class OvnBackend(Backend):
    name = "ovn"
    holds_networks = True

    def __init__(self) -> None:
        self.nb: Any = None  # an impl_idl.OvnNbApiIdlImpl once started

    def start(self) -> None:
        idl = connection.OvsdbIdl.from_server(CONF.network.ovn_nb_connection, "OVN_Northbound")
        # ovsdbapp keeps the connection in a class attribute (the first one wins): a class
        # of its own lets a process connect again after stop() (and tests connect often).
        api_class = type("StratoDnsNbApi", (impl_idl.OvnNbApiIdlImpl,),
                         {"_ovsdb_connection": None})
        self.nb = api_class(connection.Connection(idl=idl, timeout=CONF.network.ovn_nb_timeout))

    def stop(self) -> None:
        if self.nb is not None:
            self.nb.ovsdb_connection.stop(timeout=5)
            self.nb = None

    def _rows(self) -> dict[str, Any]:
        """Strato's DNS rows by network id."""
        rows = self.nb.db_list_rows("DNS").execute(check_error=True)
        return {row.external_ids[NETWORK_KEY]: row for row in rows
                if row.external_ids.get(OWNER_KEY) == OWNER and NETWORK_KEY in row.external_ids}

    def network_ids(self) -> set[str]:
        return set(self._rows())

    def apply_network(self, network: Network) -> None:
        switch = find_switch(self.nb, network["id"])
        if switch is None:
            LOG.debug("ovn: network %s has no Logical_Switch yet", network["id"])
            return
        row = self._rows().get(network["id"])
        if row is None:
            LOG.info("ovn: adding DNS row of network %s", network["id"])
            row = self.nb.dns_add(
                records=network["records"],
                external_ids={OWNER_KEY: OWNER, NETWORK_KEY: network["id"]},
            ).execute(check_error=True)
        with self.nb.transaction(check_error=True) as txn:
            if dict(row.records) != network["records"]:
                LOG.info("ovn: updating DNS records of network %s", network["id"])
                txn.add(self.nb.dns_set_records(row.uuid, **network["records"]))
            if row.uuid not in {bound.uuid for bound in switch.dns_records}:
                LOG.info("ovn: binding DNS row to the switch of network %s", network["id"])
                txn.add(self.nb.ls_add_dns_record(switch.uuid, row.uuid))

    def remove_network(self, network_id: str) -> None:
        row = self._rows().get(network_id)
        if row is not None:
            LOG.info("ovn: deleting DNS row of network %s", network_id)
            self.nb.dns_del(row.uuid).execute(check_error=True)

"""The ports of a server in the conductor's flows.

A build allocates them (or rebinds them, on a reschedule) on the chosen host before it
is cast there; a build that ends in ERROR and a delete release them: the ports the
server's create made are deleted, the ports it was given are unbound and kept, as in
Nova. Each change is cast to the network agent, so OVN binds or drops the ports at once,
and notified (``port.*.end``), so the dns agent follows.

What the compute agent gets is ``network_info``, one VIF per port in request order:
{id, address, type, devname, mtu, network_id, network_name, fixed_ips}.
"""
from typing import Any

from oslo_log import log as logging

from common import context, exceptions, notifications
from common.config import CONF
from common.db.api import compute_instances, network_instances
from common.db.api import network as networks
from services.network import rpcapi as network_rpcapi

LOG = logging.getLogger(__name__)


def network_info(vifs: list[dict]) -> list[dict]:
    """The compute agent's view of the ports ``allocate_for_instance`` returned."""
    admin = context.get_admin_context()
    names = {net_id: networks.get_network(admin, net_id)["name"]
             for net_id in {vif["network_id"] for vif in vifs}}
    return [{"id": vif["id"], "address": vif["mac_address"], "type": "ovs",
             "devname": vif["devname"], "mtu": vif["mtu"], "network_id": vif["network_id"],
             "network_name": names[vif["network_id"]],
             "fixed_ips": [{"subnet_id": ip["subnet_id"], "ip_address": ip["ip_address"]}
                           for ip in vif["fixed_ips"]]}
            for vif in vifs]


def allocate(ctxt: context.RequestContext, uuid: str, host: str,
             availability_zone: str | None, spec: dict) -> list[dict]:
    """The server's ports bound to ``host`` (made on the first attempt, moved there on
    a reschedule); its network_info."""
    instance = compute_instances.get(ctxt, uuid)
    vifs = network_instances.allocate_for_instance(
        ctxt, uuid, spec["project_id"], host, availability_zone,
        spec.get("requested_networks"), spec.get("security_groups"),
        hostname=instance.hostname)
    _changed(ctxt, "update", [vif["id"] for vif in vifs])
    return network_info(vifs)


def release(ctxt: context.RequestContext, uuid: str) -> None:
    """Delete the ports the server made, unbind the ones it was given. Idempotent."""
    requested = _requested_networks(ctxt, uuid)
    given = {item["port"] for item in requested if isinstance(item, dict)
             and item.get("port")} if isinstance(requested, list) else set()
    changed = [port_id for _kind, port_id in
               network_instances.deallocate_for_instance(ctxt, uuid, requested)]
    _changed(ctxt, "update", [port_id for port_id in changed if port_id in given])
    _changed(ctxt, "delete", [port_id for port_id in changed if port_id not in given])


def _requested_networks(ctxt: context.RequestContext, uuid: str) -> Any:
    try:
        return compute_instances.get(ctxt, uuid, read_deleted="yes").requested_networks
    except exceptions.InstanceNotFound:  # no row: no port was given to it
        return None


def _changed(ctxt: context.RequestContext, action: str, port_ids: list[str]) -> None:
    """Cast the sync and notify; neither may fail the flow (the network agent's
    reconcile realizes what a lost cast missed)."""
    if not port_ids:
        return
    try:
        network_rpcapi.NetworkAgentAPI().sync(ctxt, *[("port", port_id)
                                                      for port_id in port_ids])
    except Exception:
        LOG.exception("could not cast the sync of ports %s", port_ids)
    for port_id in port_ids:
        notifications.notify(ctxt, f"network.{CONF.host}", f"port.{action}.end",
                             {"port_id": port_id})


def bind_to(ctxt: context.RequestContext, uuid: str, host: str) -> list[dict]:
    """The server's ports bound to ``host`` alone (where a move ends); its network_info."""
    vifs = network_instances.bind_instance_ports(ctxt, uuid, host)
    _changed(ctxt, "update", [vif["id"] for vif in vifs])
    return network_info(vifs)


def share_with(ctxt: context.RequestContext, uuid: str, destination: str | None) -> None:
    """Let ``destination``'s chassis claim the server's ports too while it is live
    migrated there (None: no longer)."""
    _changed(ctxt, "update",
             network_instances.set_migration_target(ctxt, uuid, destination))

"""What follows every successful write of the network API: ONE cast to the network
agent, so OVN follows at once (its periodic reconcile makes it certain), and Neutron's
``<resource>.<action>.end`` notifications for listeners such as the dns agent.

Neither may fail the request: the database change is already committed, and a lost cast
is what the reconcile is for.
"""
from collections.abc import Iterable, Sequence
from typing import Any

from oslo_log import log as logging

from common import context, notifications
from common.config import CONF
from services.network import rpcapi

LOG = logging.getLogger(__name__)


def written(ctxt: context.RequestContext, kind: str, action: str,
            items: Sequence[dict[str, Any]],
            also: Iterable[tuple[str, str]] = ()) -> None:
    """``items`` of ``kind`` were created, updated or deleted (``action``); ``also`` names
    further resources (kind, id) the agent should look at."""
    seeds = [(kind, item["id"]) for item in items if kind in rpcapi.KINDS]
    sync(ctxt, [*seeds, *also])
    for item in items:
        payload = {f"{kind}_id": item["id"]} if action == "delete" else {kind: item}
        notifications.notify(ctxt, f"network.{CONF.host}", f"{kind}.{action}.end", payload)


def sync(ctxt: context.RequestContext, seeds: Sequence[tuple[str, str]]) -> None:
    if not seeds:
        return
    try:
        rpcapi.NetworkAgentAPI().sync(ctxt, *dict.fromkeys(seeds))
    except Exception:
        LOG.exception("could not cast sync of %s to the network agent; the reconcile "
                      "will realize it", seeds)

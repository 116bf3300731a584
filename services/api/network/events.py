"""What follows every successful write of the network API: ONE cast to the network
agent, so OVN follows at once (its periodic reconcile makes it certain), and Neutron's
``<resource>.<action>.end`` notifications for listeners such as the dns agent: one per
resource, and, as Neutron does, one for a whole bulk create, listing them all.

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
            also: Iterable[tuple[str, str]] = (), bulk: str | None = None) -> None:
    """``items`` of ``kind`` were created, updated or deleted (``action``); ``also`` names
    further resources (kind, id) the agent should look at. ``bulk`` (the plural, e.g.
    "ports") marks a bulk create: one notification ``{bulk: items}`` reports it."""
    seeds = [(kind, item["id"]) for item in items if kind in rpcapi.KINDS]
    sync(ctxt, [*seeds, *also])
    payloads: list[dict[str, Any]]
    if bulk is not None:
        payloads = [{bulk: list(items)}]
    elif action == "delete":
        payloads = [{f"{kind}_id": item["id"]} for item in items]
    else:
        payloads = [{kind: item} for item in items]
    for payload in payloads:
        notifications.notify(ctxt, f"network.{CONF.host}", f"{kind}.{action}.end", payload)


def sync(ctxt: context.RequestContext, seeds: Sequence[tuple[str, str]]) -> None:
    if not seeds:
        return
    try:
        rpcapi.NetworkAgentAPI().sync(ctxt, *dict.fromkeys(seeds))
    except Exception:
        LOG.exception("could not cast sync of %s to the network agent; the reconcile "
                      "will realize it", seeds)

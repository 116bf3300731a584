"""RPC side of the api service: it answers only the base RPCs (ping), and runs the
identity housekeeping that no request should wait for."""
import datetime

import oslo_messaging as messaging
from oslo_log import log as logging

from common import context, topics
from common.config import CONF
from common.db.api import identity_revocations
from common.db.types import utcnow
from common.manager import Manager, periodic

TOPIC = topics.API
LOG = logging.getLogger(__name__)
PRUNE_INTERVAL = 600


class APIManager(Manager):
    target = messaging.Target(version="1.0")

    @periodic(PRUNE_INTERVAL, run_immediately=True)
    def prune_revocations(self, ctxt: context.RequestContext) -> None:
        """Drop the revocation events older than the longest token lifetime: every token
        they match has expired, and each validation reads the events it could match."""
        before = utcnow() - datetime.timedelta(seconds=CONF.identity.token_expiration)
        pruned = identity_revocations.prune(ctxt, before)
        if pruned:
            LOG.info("pruned %d revocation events older than %s", pruned, before)

"""Server side of the compute agent's RPC API. Agents never open the database."""
import oslo_messaging as messaging

from common.manager import Manager


class ComputeManager(Manager):
    target = messaging.Target(version="1.0")

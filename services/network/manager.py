"""Server side of the network agent's RPC API. Agents never open the database."""
import oslo_messaging as messaging

from common.manager import Manager


class NetworkManager(Manager):
    target = messaging.Target(version="1.0")

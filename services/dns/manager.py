"""Server side of the dns agent's RPC API. Agents never open the database."""
import oslo_messaging as messaging

from common.manager import Manager


class DNSManager(Manager):
    target = messaging.Target(version="1.0")

"""RPC side of the api service: it answers only the base RPCs (ping)."""
import oslo_messaging as messaging

from common.manager import Manager

TOPIC = "api"


class APIManager(Manager):
    target = messaging.Target(version="1.0")

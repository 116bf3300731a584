"""/v2.0/networks: L2 networks (shared, external, provider segments, MTU, dns_domain,
port security)."""
from common.db.api import network as networks_db
from services.api.network import schemas
from services.api.network.resources import Kind

KIND = Kind("network", "networks", schemas.NETWORK, get=networks_db.get_network,
            list=networks_db.list_networks, create=networks_db.create_network,
            update=networks_db.update_network, delete=networks_db.delete_network,
            create_many=networks_db.create_networks)

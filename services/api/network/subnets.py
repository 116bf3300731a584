"""/v2.0/subnets: IPv4 and IPv6 ranges of a network, with allocation pools, gateway,
DHCP, DNS servers and host routes."""
from common.db.api import network_subnets as subnets_db
from services.api.network import schemas
from services.api.network.resources import Kind

KIND = Kind("subnet", "subnets", schemas.SUBNET,
            get=subnets_db.get_subnet, list=subnets_db.list_subnets,
            create=subnets_db.create_subnet, update=subnets_db.update_subnet,
            delete=subnets_db.delete_subnet, create_many=subnets_db.create_subnets)

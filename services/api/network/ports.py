"""/v2.0/ports: network attachments with fixed IPs, MAC, binding, port security and DNS
name."""
from common.db.api import network_ports as ports_db
from services.api.network import schemas
from services.api.network.resources import Kind

KIND = Kind("port", "ports", schemas.PORT, get=ports_db.get_port, list=ports_db.list_ports,
            create=ports_db.create_port, update=ports_db.update_port,
            delete=ports_db.delete_port, create_many=ports_db.create_ports)

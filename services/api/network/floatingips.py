"""/v2.0/floatingips: external addresses, associated with a port through PUT port_id."""
from common.db.api import network_floatingips as fips_db
from services.api.network import schemas
from services.api.network.resources import Kind

KIND = Kind("floatingip", "floatingips", schemas.FLOATINGIP, get=fips_db.get_floatingip,
            list=fips_db.list_floatingips, create=fips_db.create_floatingip,
            update=fips_db.update_floatingip, delete=fips_db.delete_floatingip)

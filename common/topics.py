"""The RPC topic each service listens on, in one place for clients, servers and
strato-manage."""
API = "api"
SCHEDULER = "scheduler"
CONDUCTOR = "conductor"
COMPUTE = "compute"
NETWORK = "network"
DNS = "dns"

ALL = (API, SCHEDULER, CONDUCTOR, COMPUTE, NETWORK, DNS)

"""The conductor's Prometheus metrics, served on ``[conductor] metrics_port``."""
import prometheus_client

EVACUATIONS = prometheus_client.Counter(
    "strato_evacuations", "Evacuations of servers off dead compute hosts, by step "
    "(started, done, failed).", ["result"])
HA_EVACUATIONS = prometheus_client.Counter(
    "strato_ha_evacuations", "Evacuations the HA monitor started (highly available "
    "servers of a fenced host).")
FENCES = prometheus_client.Counter(
    "strato_host_fences", "Compute hosts fenced by the HA monitor, by outcome "
    "(fenced: a fence method confirmed it; unconfirmed: none could).", ["outcome"])
UNFENCES = prometheus_client.Counter(
    "strato_host_fences_lifted", "Fenced compute hosts whose agent was heard from again.")
FENCES_WITHHELD = prometheus_client.Counter(
    "strato_host_fences_withheld", "Looks of the HA monitor that found too many compute "
    "hosts silent at once and fenced none (see [ha] max_silent_fraction).")
DRS_MOVES = prometheus_client.Counter(
    "strato_drs_moves", "Live migrations the DRS pass planned, by result (started, "
    "refused).", ["result"])
DRS_SPREAD = prometheus_client.Gauge(
    "strato_drs_spread", "Spread of load (largest minus smallest used vCPU/RAM share) "
    "between the compute hosts of a zone, at the last DRS pass.", ["zone"])

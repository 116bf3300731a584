"""Strato's exceptions. Each API maps them once to its own error format.

``code`` is the HTTP status an API answers with when the exception reaches it.
"""


class StratoError(Exception):
    code = 500
    message = "An unknown error occurred."

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        self.kwargs = kwargs
        self._msg = message or self.message.format(**kwargs)
        super().__init__(self._msg)

    @property
    def msg(self) -> str:
        # Not str(self): an exception re-raised from another service over RPC has the
        # remote traceback appended to its str().
        return self._msg


class BadRequest(StratoError):
    code = 400
    message = "Bad request."


class Unauthorized(StratoError):
    code = 401
    message = "The request you have made requires authentication."


class Forbidden(StratoError):
    code = 403
    message = "You are not authorized to perform the requested action."


class NotFound(StratoError):
    code = 404
    message = "Could not find the requested resource."


class MethodNotAllowed(StratoError):
    code = 405
    message = "Method not allowed."


class Conflict(StratoError):
    code = 409
    message = "Conflict."


class PayloadTooLarge(StratoError):
    code = 413
    message = "Request body is too large."


class ServiceNotFound(NotFound):
    message = "Service {service_id} could not be found."


class DatabaseNotAllowed(StratoError):
    message = "{binary} reaches the database only through the conductor."


class RPCInsideTransaction(StratoError):
    message = ("{what} was sent while a database transaction was open: commit first, "
               "a transaction must not wait on the bus.")


class DatabaseUnavailable(StratoError):
    code = 503
    message = "The database is unavailable; retry later."


# --- DNS ------------------------------------------------------------------------------
# ``error_type`` is Designate's "type" string; the DNS API renders these as
# {"code", "type", "message"}.


class InvalidObject(BadRequest):
    error_type = "invalid_object"
    message = "Provided object does not match schema."


class InvalidZoneName(InvalidObject):
    error_type = "invalid_zone_name"
    message = "Invalid zone name {name!r}: {reason}."


class InvalidTLD(InvalidZoneName):
    message = "Invalid TLD for zone {name!r}: {reason}."


class InvalidRecordSetName(InvalidObject):
    error_type = "invalid_recordset_name"
    message = "Invalid recordset name {name!r}: {reason}."


class InvalidRecordSetLocation(InvalidObject):
    error_type = "invalid_recordset_location"
    message = "Recordset {name!r} is not allowed here: {reason}."


class InvalidRecordData(InvalidObject):
    message = "Invalid {type} record {data!r}: {reason}."


class InvalidTTL(InvalidObject):
    error_type = "invalid_ttl"
    message = "Invalid TTL {ttl!r}: {reason}."


class DNSBadRequest(BadRequest):
    error_type = "bad_request"


class DNSForbidden(Forbidden):
    error_type = "forbidden"


class OverQuota(StratoError):
    code = 413
    error_type = "over_quota"
    message = "Quota exceeded for {resource}."


class DuplicateZone(Conflict):
    error_type = "duplicate_zone"
    message = "Zone {name} already exists."


class DuplicateRecordSet(Conflict):
    error_type = "duplicate_recordset"
    message = "Recordset {name} {type} already exists."


class DuplicateTld(Conflict):
    error_type = "duplicate_tld"
    message = "TLD {name} already exists."


class DuplicateInternalName(Conflict):
    error_type = "duplicate"
    message = "Internal name {name} already exists on this scope."


class DuplicateZoneShare(Conflict):
    error_type = "duplicate_shared_zone"
    message = "Zone {zone_id} is already shared with project {target_project_id}."


class ZoneNotFound(NotFound):
    error_type = "zone_not_found"
    message = "Could not find zone {zone_id}."


class RecordSetNotFound(NotFound):
    error_type = "recordset_not_found"
    message = "Could not find recordset {recordset_id}."


class ZoneShareNotFound(NotFound):
    error_type = "shared_zone_not_found"
    message = "Could not find zone share {share_id}."


class ZoneImportNotFound(NotFound):
    error_type = "zone_import_not_found"
    message = "Could not find zone import {import_id}."


class TldNotFound(NotFound):
    error_type = "tld_not_found"
    # Designate's exact words: designate-tempest-plugin compares them.
    message = "Could not find Tld"


class InternalNameNotFound(NotFound):
    error_type = "not_found"
    message = "Could not find internal name {internal_name_id}."


class DNSBackendError(StratoError):
    message = "DNS backend {backend} failed: {reason}"


class InvalidUUID(BadRequest):
    error_type = "invalid_uuid"
    message = "Invalid UUID {name}: {value}"


class InvalidSortKey(BadRequest):
    error_type = "invalid_sort_key"
    message = "Sort key not permitted."


class InvalidSortDir(BadRequest):
    error_type = "invalid_sort_dir"
    message = "Invalid sort direction."


class InvalidLimit(BadRequest):
    error_type = "invalid_limit"
    message = "Invalid limit."


class InvalidMarker(BadRequest):
    error_type = "invalid_marker"
    message = "Invalid marker."


# --- Networking -----------------------------------------------------------------------
# Class names are Neutron's error "type" strings: the network API renders these as
# {"NeutronError": {"type": <class name>, "message", "detail"}}.


class InvalidInput(BadRequest):
    message = "Invalid input for operation: {error_message}."


class NetworkNotFound(NotFound):
    message = "Network {net_id} could not be found."


class SubnetNotFound(NotFound):
    message = "Subnet {subnet_id} could not be found."


class PortNotFound(NotFound):
    message = "Port {port_id} could not be found."


class RouterNotFound(NotFound):
    message = "Router {router_id} could not be found."


class FloatingIPNotFound(NotFound):
    message = "Floating IP {floatingip_id} could not be found."


class SecurityGroupNotFound(NotFound):
    message = "Security group {id} does not exist."


class SecurityGroupRuleNotFound(NotFound):
    message = "Security group rule {id} does not exist."


class RouterInterfaceNotFound(NotFound):
    message = "Router {router_id} does not have an interface with id {port_id}."


class RouterInterfaceNotFoundForSubnet(NotFound):
    message = "Router {router_id} has no interface on subnet {subnet_id}."


class ExternalGatewayForFloatingIPNotFound(NotFound):
    message = ("External network {external_network_id} is not reachable from subnet "
               "{subnet_id}. Therefore, cannot associate Port {port_id} with a "
               "Floating IP.")


class TagNotFound(NotFound):
    message = "Tag {tag} could not be found for {resource} {resource_id}."


class IpAddressAlreadyAllocated(Conflict):
    message = "IP address {ip} already allocated in subnet {subnet_id}."


class IpAddressGenerationFailure(Conflict):
    message = "No more IP addresses available on network {net_id}."


class MacAddressInUse(Conflict):
    message = ("Unable to complete operation for network {net_id}. The mac address {mac} "
               "is in use.")


class NetworkInUse(Conflict):
    message = ("Unable to complete operation on network {net_id}. There are one or more "
               "ports still in use on the network.")


class SubnetInUse(Conflict):
    message = ("Unable to complete operation on subnet {subnet_id}: One or more ports have "
               "an IP allocation from this subnet.")


class PortInUse(Conflict):
    message = ("Unable to complete operation on port {port_id} for network {net_id}. "
               "Port already has an attached device {device_id}.")


class RouterInUse(Conflict):
    message = "Router {router_id} {reason}."


class RouterInterfaceInUseByFloatingIP(Conflict):
    message = ("Router interface for subnet {subnet_id} on router {router_id} cannot be "
               "deleted, as it is required by one or more floating IPs.")


class RouterExternalGatewayInUseByFloatingIp(Conflict):
    message = ("Gateway cannot be updated for router {router_id}, since a gateway to "
               "external network {net_id} is required by one or more floating IPs.")


class GatewayConflictWithAllocationPools(Conflict):
    message = "Gateway ip {ip_address} conflicts with allocation pool {pool}."


class FloatingIPPortAlreadyAssociated(Conflict):
    message = ("Cannot associate floating IP {floating_ip_address} ({fip_id}) with port "
               "{port_id} using fixed IP {fixed_ip}, as that fixed IP already has a "
               "floating IP on external network {net_id}.")


class SecurityGroupInUse(Conflict):
    message = "Security Group {id} in use."


class SecurityGroupCannotRemoveDefault(Conflict):
    message = "Insufficient rights for removing default security group."


class SecurityGroupRuleExists(Conflict):
    message = "Security group rule already exists. Rule id is {rule_id}."


class AddressPairAndPortSecurityRequired(Conflict):
    message = ("Port Security must be enabled in order to have allowed address pairs "
               "on a port.")


class PortSecurityAndIPRequiredForSecurityGroups(BadRequest):
    message = ("Port security must be enabled and port must have an IP address in order "
               "to use security groups.")


class NetworkOverQuota(Conflict):
    """Neutron answers 409 (Designate's OverQuota above is a 413)."""

    message = "Quota exceeded for resources: ['{resource}']."


# --- Compute ---------------------------------------------------------------------------


class InstanceNotFound(NotFound):
    message = "Instance {instance_id} could not be found."


class FlavorNotFound(NotFound):
    message = "Flavor {flavor_id} could not be found."


class FlavorExtraSpecNotFound(NotFound):
    message = "Flavor {flavor_id} has no extra specs with key {key}."


class FlavorAccessNotFound(NotFound):
    message = "Flavor access not found for {flavor_id} / {project_id} combination."


class FlavorExists(Conflict):
    message = "Flavor with {field} {value} already exists."


class FlavorAccessExists(Conflict):
    message = "Flavor access already exists for flavor {flavor_id} and project {project_id}."


class KeypairNotFound(NotFound):
    message = "Keypair {name} not found for user {user_id}."


class KeypairExists(Conflict):
    message = "Key pair '{name}' already exists."


class ServerGroupNotFound(NotFound):
    message = "Instance group {group_uuid} could not be found."


class AggregateNotFound(NotFound):
    message = "Aggregate {aggregate_id} could not be found."


class AggregateNameExists(Conflict):
    message = "Aggregate {name} already exists."


class AggregateHostExists(Conflict):
    message = "Aggregate {aggregate_id} already has host {host}."


class AggregateHostNotFound(NotFound):
    message = "Aggregate {aggregate_id} has no host {host}."


class AggregateInUse(BadRequest):
    message = "Cannot remove aggregate {aggregate_id}: it still has hosts."


class AvailabilityZoneConflict(BadRequest):
    message = ("Cannot add host {host} to aggregate {aggregate_id}: it is already in "
               "availability zone {zone}.")


class MigrationNotFound(NotFound):
    message = "Migration {migration_id} could not be found."


class MigrationNotFoundForInstance(NotFound):
    message = "Migration {migration_id} for instance {instance_id} could not be found."


class InvalidMigrationState(BadRequest):
    message = ("Migration {migration_id} state of instance {instance_uuid} is {state}. "
               "Cannot {method} while the migration is in this state.")


class InstanceInvalidState(Conflict):
    message = "Cannot '{action}' instance {instance_id} while it is in {attr} {state}."


class UnexpectedTaskState(Conflict):
    message = ("Conflict updating instance {instance_id}. Expected: task_state "
               "{expected}. Actual: {actual}.")


class UnexpectedDeletingTaskState(UnexpectedTaskState):
    pass


class ResourceProviderNotFound(NotFound):
    message = "No resource provider named {name}."


class ResourceProviderInUse(Conflict):
    message = "Resource provider {name} still has allocations."


class NoValidHost(StratoError):
    message = "No valid host was found. {reason}"


class MaxRetriesExceeded(NoValidHost):
    message = ("Exceeded maximum number of retries. Exhausted all hosts available for "
               "retrying build failures for instance {instance_uuid}.")


class RescheduledBuildFailed(StratoError):
    """A build failed on a host and may be tried on another one."""

    message = "Build of instance {instance_uuid} failed on {host}: {reason}"


class BuildAbortException(StratoError):
    """A build failed in a way another host would not fix (bad image, ...)."""

    message = "Build of instance {instance_uuid} aborted: {reason}"


class ImageNotFound(NotFound):
    message = "Image {image_id} could not be found."


class ImageUnacceptable(BadRequest):
    message = "Image {image_id} is unacceptable: {reason}"


class HypervisorError(StratoError):
    message = "Hypervisor error on instance {instance_uuid}: {reason}"


class VifPlugError(StratoError):
    message = "Could not {action} the NICs of instance {instance_uuid}: {reason}"


class InstanceNotRunning(Conflict):
    message = "Instance {instance_uuid} is not running."


class ResizeError(StratoError):
    message = "Resize error: {reason}"


class MigrationError(StratoError):
    message = "Migration error: {reason}"


class MigrationPreCheckError(BadRequest):
    """Nova answers 400 to a migration that cannot start (its prechecks)."""

    message = "Migration pre-check error: {reason}"


class ComputeHostNotFound(BadRequest):
    """400, not 404: a migration's target host names no compute host (as Nova)."""

    message = "Compute host {host} could not be found."


class ComputeServiceUnavailable(BadRequest):
    message = "Compute service of {host} is unavailable at this time."


class ComputeServiceInUse(BadRequest):
    """An evacuation of a server whose host is still up (Nova's 400)."""

    message = "Compute service of {host} is still in use."


class UnableToMigrateToSelf(BadRequest):
    message = ("Unable to migrate instance ({instance_id}) to current host "
               "({host}).")


class ConsoleNotAvailable(Conflict):
    message = "Guest does not have a console available."


class OvnNorthboundUnavailable(StratoError):
    code = 503
    message = "The OVN northbound database at {remote} is not connected."


class OvnRowMissing(StratoError):
    message = "The OVN northbound {table} row {key} that {needed_by} needs is missing."

"""Nova's instance state machine: vm_state, task_state, power_state and the API status.

vm_state is where an instance rests, task_state what is being done to it right now
(None when idle), power_state what the hypervisor last reported. The REST views show
``status`` (``status_of``); list filters go the other way (``states_for_status``). Which
action may start from which state is in ``ACTIONS``, used by
``common.db.api.compute_instances.begin_action``. Importable by agents: no database here.
"""
import dataclasses


class VMState:
    ACTIVE = "active"
    BUILDING = "building"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    STOPPED = "stopped"
    RESCUED = "rescued"
    RESIZED = "resized"
    SOFT_DELETED = "soft-delete"
    DELETED = "deleted"
    ERROR = "error"
    SHELVED = "shelved"
    SHELVED_OFFLOADED = "shelved_offloaded"


class TaskState:
    SCHEDULING = "scheduling"
    BLOCK_DEVICE_MAPPING = "block_device_mapping"
    NETWORKING = "networking"
    SPAWNING = "spawning"
    IMAGE_SNAPSHOT = "image_snapshot"
    IMAGE_SNAPSHOT_PENDING = "image_snapshot_pending"
    IMAGE_PENDING_UPLOAD = "image_pending_upload"
    IMAGE_UPLOADING = "image_uploading"
    UPDATING_PASSWORD = "updating_password"
    RESIZE_PREP = "resize_prep"
    RESIZE_MIGRATING = "resize_migrating"
    RESIZE_MIGRATED = "resize_migrated"
    RESIZE_FINISH = "resize_finish"
    RESIZE_REVERTING = "resize_reverting"
    RESIZE_CONFIRMING = "resize_confirming"
    REBOOTING = "rebooting"
    REBOOT_PENDING = "reboot_pending"
    REBOOT_STARTED = "reboot_started"
    REBOOTING_HARD = "rebooting_hard"
    REBOOT_PENDING_HARD = "reboot_pending_hard"
    REBOOT_STARTED_HARD = "reboot_started_hard"
    PAUSING = "pausing"
    UNPAUSING = "unpausing"
    SUSPENDING = "suspending"
    RESUMING = "resuming"
    POWERING_OFF = "powering-off"
    POWERING_ON = "powering-on"
    REBUILDING = "rebuilding"
    REBUILD_BLOCK_DEVICE_MAPPING = "rebuild_block_device_mapping"
    REBUILD_SPAWNING = "rebuild_spawning"
    MIGRATING = "migrating"
    DELETING = "deleting"


class PowerState:
    NOSTATE = 0
    RUNNING = 1
    PAUSED = 3
    SHUTDOWN = 4
    CRASHED = 6
    SUSPENDED = 7

    NAMES = {NOSTATE: "pending", RUNNING: "running", PAUSED: "paused",
             SHUTDOWN: "shutdown", CRASHED: "crashed", SUSPENDED: "suspended"}


# task_states during which the instance is being built (a restarted agent errors them).
BUILD_TASK_STATES = (TaskState.SCHEDULING, TaskState.BLOCK_DEVICE_MAPPING,
                     TaskState.NETWORKING, TaskState.SPAWNING)

_REBOOT = (TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED)
_HARD_REBOOT = (TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD,
                TaskState.REBOOT_STARTED_HARD)
_REBUILD = (TaskState.REBUILDING, TaskState.REBUILD_BLOCK_DEVICE_MAPPING,
            TaskState.REBUILD_SPAWNING)
_RESIZE = (TaskState.RESIZE_PREP, TaskState.RESIZE_MIGRATING, TaskState.RESIZE_MIGRATED,
           TaskState.RESIZE_FINISH)


def _tasks(status: str, task_states: tuple[str, ...]) -> dict[str, str]:
    return dict.fromkeys(task_states, status)


# vm_state -> {task_state or "default": status}, as in Nova's API.
_STATUS_MAP: dict[str, dict[str, str]] = {
    VMState.ACTIVE: {"default": "ACTIVE", **_tasks("REBOOT", _REBOOT),
                     **_tasks("HARD_REBOOT", _HARD_REBOOT),
                     TaskState.UPDATING_PASSWORD: "PASSWORD",
                     **_tasks("REBUILD", _REBUILD), TaskState.MIGRATING: "MIGRATING",
                     **_tasks("RESIZE", _RESIZE)},
    VMState.BUILDING: {"default": "BUILD"},
    VMState.STOPPED: {"default": "SHUTOFF", **_tasks("RESIZE", _RESIZE),
                      **_tasks("REBUILD", _REBUILD)},
    VMState.RESIZED: {"default": "VERIFY_RESIZE", TaskState.RESIZE_REVERTING: "REVERT_RESIZE"},
    VMState.PAUSED: {"default": "PAUSED", TaskState.MIGRATING: "MIGRATING"},
    VMState.SUSPENDED: {"default": "SUSPENDED"},
    VMState.RESCUED: {"default": "RESCUE"},
    VMState.ERROR: {"default": "ERROR", **_tasks("REBUILD", _REBUILD)},
    VMState.DELETED: {"default": "DELETED"},
    VMState.SOFT_DELETED: {"default": "SOFT_DELETED"},
    VMState.SHELVED: {"default": "SHELVED"},
    VMState.SHELVED_OFFLOADED: {"default": "SHELVED_OFFLOADED"},
}


def status_of(vm_state: str, task_state: str | None) -> str:
    """The API ``status`` of an instance (UNKNOWN for a vm_state Nova does not know)."""
    by_task = _STATUS_MAP.get(vm_state)
    if by_task is None:
        return "UNKNOWN"
    return by_task.get(task_state, by_task["default"]) if task_state else by_task["default"]


def states_for_status(status: str) -> tuple[list[str], list[str] | None]:
    """(vm_states, task_states) an API status filter matches, as Nova filters lists.

    task_states is None when the status is some vm_state's default: Nova then filters by
    vm_state alone (so ACTIVE also lists an active instance that is rebooting).
    """
    status = status.strip().upper()
    vm_states: set[str] = set()
    task_states: set[str] = set()
    for vm_state, by_task in _STATUS_MAP.items():
        for task_state, mapped in by_task.items():
            if mapped == status:
                vm_states.add(vm_state)
                task_states.add(task_state)
    if "default" in task_states:
        return sorted(vm_states), None
    return sorted(vm_states), sorted(task_states)


@dataclasses.dataclass(frozen=True)
class Action:
    """An API action: the states it may start from and the task_state it sets."""

    vm_states: tuple[str, ...] | None  # None: any vm_state
    task_states: tuple[str | None, ...] | None = (None,)  # None: any task_state
    task_state: str | None = None  # set when the action starts


_ANY = None
ACTIONS: dict[str, Action] = {
    "stop": Action((VMState.ACTIVE, VMState.ERROR), task_state=TaskState.POWERING_OFF),
    "start": Action((VMState.STOPPED,), task_state=TaskState.POWERING_ON),
    "reboot": Action((VMState.ACTIVE,), (None, *_REBOOT), TaskState.REBOOTING),
    "reboot_hard": Action((VMState.ACTIVE, VMState.STOPPED, VMState.PAUSED,
                           VMState.SUSPENDED, VMState.ERROR),
                          (None, *_REBOOT, *_HARD_REBOOT), TaskState.REBOOTING_HARD),
    "pause": Action((VMState.ACTIVE,), task_state=TaskState.PAUSING),
    "unpause": Action((VMState.PAUSED,), task_state=TaskState.UNPAUSING),
    "suspend": Action((VMState.ACTIVE,), task_state=TaskState.SUSPENDING),
    "resume": Action((VMState.SUSPENDED,), task_state=TaskState.RESUMING),
    "createImage": Action((VMState.ACTIVE, VMState.STOPPED, VMState.PAUSED,
                           VMState.SUSPENDED), task_state=TaskState.IMAGE_SNAPSHOT_PENDING),
    "resize": Action((VMState.ACTIVE, VMState.STOPPED), task_state=TaskState.RESIZE_PREP),
    "migrate": Action((VMState.ACTIVE, VMState.STOPPED), task_state=TaskState.RESIZE_PREP),
    "live-migration": Action((VMState.ACTIVE, VMState.PAUSED),
                             task_state=TaskState.MIGRATING),
    "confirmResize": Action((VMState.RESIZED,), task_state=None),
    "revertResize": Action((VMState.RESIZED,), task_state=TaskState.RESIZE_REVERTING),
    "rebuild": Action((VMState.ACTIVE, VMState.STOPPED, VMState.ERROR),
                      task_state=TaskState.REBUILDING),
    # Nova's evacuate: a server of a dead host rebuilt on another one.
    "evacuate": Action((VMState.ACTIVE, VMState.STOPPED, VMState.ERROR),
                       task_state=TaskState.REBUILDING),
    # The HA monitor's evacuate: whatever the dead host was doing to the server (not a
    # delete, a move or another evacuation) ends with the host.
    "ha-evacuate": Action((VMState.ACTIVE, VMState.STOPPED, VMState.ERROR, VMState.PAUSED,
                           VMState.SUSPENDED),
                          (None, *_REBOOT, *_HARD_REBOOT, TaskState.POWERING_OFF,
                           TaskState.POWERING_ON, TaskState.PAUSING, TaskState.UNPAUSING,
                           TaskState.SUSPENDING, TaskState.RESUMING,
                           TaskState.IMAGE_SNAPSHOT, TaskState.IMAGE_SNAPSHOT_PENDING,
                           TaskState.IMAGE_PENDING_UPLOAD, TaskState.IMAGE_UPLOADING),
                          TaskState.REBUILDING),
    "delete": Action(_ANY, _ANY, TaskState.DELETING),
}

# Nova's instance action names (os-instance-actions) for the API actions above.
ACTION_NAMES = {"stop": "stop", "start": "start", "reboot": "reboot",
                "reboot_hard": "reboot", "pause": "pause", "unpause": "unpause",
                "suspend": "suspend", "resume": "resume", "createImage": "createImage",
                "resize": "resize", "migrate": "migrate",
                "live-migration": "live-migration", "confirmResize": "confirmResize",
                "revertResize": "revertResize", "rebuild": "rebuild", "delete": "delete",
                "evacuate": "evacuate", "ha-evacuate": "evacuate"}

"""Nova's status mapping and its reverse for list filters."""
from common import compute_states
from common.compute_states import TaskState, VMState
from tests.unit import base


class StatusTest(base.TestCase):
    def test_status_of(self) -> None:
        cases = [((VMState.BUILDING, TaskState.SPAWNING), "BUILD"),
                 ((VMState.ACTIVE, None), "ACTIVE"),
                 ((VMState.ACTIVE, TaskState.REBOOTING), "REBOOT"),
                 ((VMState.ACTIVE, TaskState.REBOOT_STARTED_HARD), "HARD_REBOOT"),
                 ((VMState.ACTIVE, TaskState.RESIZE_MIGRATING), "RESIZE"),
                 ((VMState.ACTIVE, TaskState.POWERING_OFF), "ACTIVE"),
                 ((VMState.STOPPED, None), "SHUTOFF"),
                 ((VMState.STOPPED, TaskState.REBUILDING), "REBUILD"),
                 ((VMState.PAUSED, None), "PAUSED"),
                 ((VMState.SUSPENDED, None), "SUSPENDED"),
                 ((VMState.RESIZED, None), "VERIFY_RESIZE"),
                 ((VMState.RESIZED, TaskState.RESIZE_REVERTING), "REVERT_RESIZE"),
                 ((VMState.ERROR, None), "ERROR"),
                 ((VMState.ERROR, TaskState.DELETING), "ERROR"),
                 ((VMState.DELETED, None), "DELETED"),
                 (("weird", None), "UNKNOWN")]
        for (vm_state, task_state), status in cases:
            self.assertEqual(status, compute_states.status_of(vm_state, task_state),
                             (vm_state, task_state))

    def test_states_for_status(self) -> None:
        self.assertEqual(([VMState.ACTIVE], None), compute_states.states_for_status("active"))
        vm_states, task_states = compute_states.states_for_status("REBOOT")
        self.assertEqual([VMState.ACTIVE], vm_states)
        self.assertIn(TaskState.REBOOT_STARTED, task_states)
        self.assertEqual([], compute_states.states_for_status("NOPE")[0])

    def test_every_action_names_a_nova_action(self) -> None:
        self.assertEqual(set(compute_states.ACTIONS), set(compute_states.ACTION_NAMES))

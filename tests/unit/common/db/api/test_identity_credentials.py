"""Application credentials and revocation events: one transaction deletes a credential
and revokes its tokens; events are read as records and pruned by age."""
import datetime

from common import context, exceptions
from common.db.api import identity, identity_credentials, identity_revocations
from common.db.types import utcnow
from tests.unit import base

OWNER = context.RequestContext(user_id="u", project_id="p")


class CredentialsTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        domain = identity.create_domain(OWNER, "d")
        self.user_id = identity.create_user(OWNER, "alice", domain.id).id

    def test_create_in_the_context_project_and_delete_revokes(self) -> None:
        credential = identity_credentials.create(OWNER, self.user_id, "ci", "s3cret",
                                                 ["r1"])
        self.assertEqual(("p", ["r1"]), (credential.project_id, credential.roles))
        self.assertEqual(credential, identity_credentials.find(OWNER, self.user_id, "ci"))
        with self.assertRaises(exceptions.Conflict):
            identity_credentials.create(OWNER, self.user_id, "ci", "other", [])
        since = utcnow() - datetime.timedelta(seconds=1)
        with self.assertRaises(exceptions.NotFound):
            identity_credentials.delete(OWNER, credential.id, "someone-else")
        self.assertEqual([], identity_revocations.list_events(OWNER, since))
        identity_credentials.delete(OWNER, credential.id, self.user_id)
        (event,) = identity_revocations.list_events(OWNER, since)
        self.assertEqual(credential.id, event.app_cred_id)
        self.assertEqual([], identity_credentials.list_for_user(OWNER, self.user_id))

    def test_prune_drops_only_old_events(self) -> None:
        identity_revocations.revoke(OWNER, audit_id="a1")
        self.assertEqual(0, identity_revocations.prune(
            OWNER, utcnow() - datetime.timedelta(hours=1)))
        self.assertEqual(1, identity_revocations.prune(
            OWNER, utcnow() + datetime.timedelta(seconds=1)))
        self.assertEqual([], identity_revocations.list_events(
            OWNER, utcnow() - datetime.timedelta(hours=1)))

"""Domains, projects, users, groups and roles come back as records; unknown attributes
are kept in ``extra``; a membership or a grant is checked and removed in one
transaction; effective roles add up group grants and implications."""
import dataclasses

from common import exceptions
from common.db.api import identity
from common.db.api import identity_assignments as assignments
from tests.unit import base
from tests.unit.base import SYSTEM as ADMIN


class IdentityRecordsTest(base.DatabaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.domain = identity.create_domain(ADMIN, "d")

    def test_records_are_frozen_and_keep_unknown_attributes(self) -> None:
        user = identity.create_user(ADMIN, "alice", self.domain.id, password="pw",
                                    email="alice@example.org")
        self.assertEqual("alice@example.org", user.extra["email"])
        self.assertTrue(identity.check_password("pw", user.password_hash))
        with self.assertRaises(dataclasses.FrozenInstanceError):
            user.name = "bob"  # type: ignore[misc]
        updated = identity.update_user(ADMIN, user.id, {"enabled": False, "team": "x"})
        self.assertEqual((False, {"email": "alice@example.org", "team": "x"}),
                         (updated.enabled, updated.extra))
        self.assertEqual(updated, identity.find_user(ADMIN, "alice", self.domain.id))

    def test_a_project_lives_in_its_domain_and_a_domain_is_a_project(self) -> None:
        project = identity.create_project(ADMIN, "p", self.domain.id, tags=["a"])
        self.assertEqual((self.domain.id, self.domain.id, ["a"]),
                         (project.domain_id, project.parent_id, project.tags))
        self.assertEqual([project], identity.list_projects(ADMIN, domain_id=self.domain.id))
        self.assertEqual([self.domain.id], [d.id for d in identity.list_domains(
            ADMIN, name="d")])
        with self.assertRaises(exceptions.NotFound):
            identity.get_domain(ADMIN, project.id)

    def test_group_membership(self) -> None:
        user = identity.create_user(ADMIN, "alice", self.domain.id)
        group = identity.create_group(ADMIN, "g", self.domain.id)
        identity.add_group_user(ADMIN, group.id, user.id)
        self.assertEqual([user], identity.list_group_users(ADMIN, group.id))
        self.assertEqual([group], identity.list_groups(ADMIN, user_id=user.id))
        identity.remove_group_user(ADMIN, group.id, user.id)
        with self.assertRaises(exceptions.NotFound):
            identity.remove_group_user(ADMIN, group.id, user.id)
        self.assertEqual([], identity.list_group_users(ADMIN, group.id))

    def test_effective_roles_through_a_group_and_an_implication(self) -> None:
        user = identity.create_user(ADMIN, "alice", self.domain.id)
        group = identity.create_group(ADMIN, "g", self.domain.id)
        project = identity.create_project(ADMIN, "p", self.domain.id)
        identity.add_group_user(ADMIN, group.id, user.id)
        admin = assignments.create_role(ADMIN, "admin")
        reader = assignments.create_role(ADMIN, "reader", colour="blue")
        assignments.create_implied_role(ADMIN, admin.id, reader.id)
        assignments.grant(ADMIN, "group", group.id, "project", project.id, admin.id)
        self.assertEqual([admin, reader], assignments.effective_roles(
            ADMIN, user.id, "project", project.id))
        self.assertEqual({"colour": "blue"}, assignments.get_role(ADMIN, reader.id).extra)
        self.assertEqual([project.id], assignments.target_ids(ADMIN, user.id, "project"))
        assignments.revoke_grant(ADMIN, "group", group.id, "project", project.id, admin.id)
        with self.assertRaises(exceptions.NotFound):
            assignments.revoke_grant(ADMIN, "group", group.id, "project", project.id,
                                     admin.id)
        self.assertEqual([], assignments.effective_roles(ADMIN, user.id, "project",
                                                         project.id))

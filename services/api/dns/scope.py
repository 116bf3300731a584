"""Whose zones a request sees, from the token and Designate's override headers.

- ``X-Auth-All-Projects: true`` (admin): every project's resources;
- ``X-Auth-Sudo-Project-ID: <id>`` (admin): act as that project (new zones belong to it);
- ``X-Designate-Edit-Managed-Records: true`` (admin): managed recordsets may change;
- ``X-Designate-Delete-Shares: true`` (zone delete): a shared zone goes with its shares.

Without them a request sees its own project only, an admin too: another project's zone
is "not found", as in Designate.
"""
from dataclasses import dataclass

import falcon

from common import policy
from services.api import handlers

ALL_PROJECTS = "X-Auth-All-Projects"
SUDO_PROJECT = "X-Auth-Sudo-Project-ID"
EDIT_MANAGED = "X-Designate-Edit-Managed-Records"
DELETE_SHARES = "X-Designate-Delete-Shares"
_TRUE = {"true", "1", "yes", "on"}


@dataclass(frozen=True)
class Scope:
    project_id: str | None  # the project whose resources are visible; None: all
    owner: str  # the project new resources belong to
    edit_managed: bool


def _flag(req: falcon.Request, header: str) -> bool:
    return (req.get_header(header) or "").strip().lower() in _TRUE


def of(req: falcon.Request) -> Scope:
    """The scope of ``req``; a non-admin using an override header gets a 403."""
    ctx = handlers.ctx(req)
    owner = ctx.scoped_project_id
    sudo = (req.get_header(SUDO_PROJECT) or "").strip()
    if sudo:
        policy.authorize(ctx, "dns:sudo", {})
        owner = sudo
    all_projects = _flag(req, ALL_PROJECTS)
    if all_projects:
        policy.authorize(ctx, "dns:all_projects", {})
    edit_managed = _flag(req, EDIT_MANAGED)
    if edit_managed:
        policy.authorize(ctx, "dns:edit_managed_records", {})
    return Scope(project_id=None if all_projects else owner, owner=owner,
                 edit_managed=edit_managed)


def delete_shares(req: falcon.Request) -> bool:
    """Whether a zone delete may take the zone's shares along."""
    return _flag(req, DELETE_SHARES)


def target(scope: Scope) -> dict[str, str | None]:
    """The policy target of a request in ``scope``."""
    return {"project_id": scope.owner}

"""The request context: who asks, in which project, under which request id.

It rides along every RPC (see common.rpc.RequestContextSerializer) so a request id
made by the api shows in the logs of every service the request touches.
"""
from typing import Any

from oslo_context import context as oslo_context

from common import exceptions


class RequestContext(oslo_context.RequestContext):
    """oslo.context's context, so oslo.log prints request/user/project on every line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overwrite", True)
        super().__init__(*args, **kwargs)

    @property
    def is_admin_role(self) -> bool:
        return "admin" in self.roles

    @property
    def scoped_project_id(self) -> str:
        """The project a project-scoped request acts in (Forbidden for a domain- or
        system-scoped one, which owns nothing in a project)."""
        if not self.project_id:
            raise exceptions.Forbidden("This action needs a project-scoped token.")
        return self.project_id

    @property
    def scoped_user_id(self) -> str:
        """The user of an authenticated request."""
        if not self.user_id:
            raise exceptions.Forbidden("This action needs an authenticated user.")
        return self.user_id

    def to_dict(self) -> dict[str, Any]:
        values = super().to_dict()
        values["is_admin"] = self.is_admin
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any], **kwargs: Any) -> "RequestContext":
        kwargs.setdefault("is_admin", values.get("is_admin", False))
        return super().from_dict(values, **kwargs)


def get_admin_context(request_id: str | None = None) -> RequestContext:
    """A context for work a service does on its own behalf (heartbeats, periodic tasks)."""
    return RequestContext(is_admin=True, roles=["admin"], request_id=request_id,
                          overwrite=False)

"""The identity API (Keystone v3), mounted at /identity.

Routes map to one module per resource; identity errors leave as Keystone's
``{"error": {"code", "message", "title"}}``.
"""
import falcon

from services.api.auth import lookups
from services.api.identity import (
    application_credentials,
    auth_scopes,
    catalog,
    domains,
    grants,
    groups,
    policies,
    projects,
    role_assignments,
    roles,
    tokens,
    users,
    versions,
)
from services.api.spec import APIError, APISpec

PREFIX = "/identity"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def error_body(error: APIError) -> dict:
    return {"error": {"code": error.status, "message": error.message, "title": error.title}}


class ForgetCachedLookups:
    """A successful identity write clears this process's cached names and roles."""

    def process_response(self, req: falcon.Request, resp: falcon.Response,
                         _resource: object, req_succeeded: bool) -> None:
        if (req_succeeded and req.method in _WRITES and req.path.startswith(PREFIX)
                and not req.path.endswith("/auth/tokens") and resp.status_code < 400):
            lookups.clear()


def add_routes(app: falcon.App, prefix: str) -> None:
    v3 = prefix + "/v3"
    routes = {
        prefix: versions.Versions(),
        v3: versions.Version(),
        v3 + "/auth/tokens": tokens.Tokens(),
        v3 + "/auth/projects": auth_scopes.AuthProjects(),
        v3 + "/auth/domains": auth_scopes.AuthDomains(),
        v3 + "/auth/catalog": auth_scopes.AuthCatalog(),
        v3 + "/domains": domains.Domains(),
        v3 + "/domains/{domain_id}": domains.Domain(),
        v3 + "/projects": projects.Projects(),
        v3 + "/projects/{project_id}": projects.Project(),
        v3 + "/users": users.Users(),
        v3 + "/users/{user_id}": users.User(),
        v3 + "/users/{user_id}/password": users.Password(),
        v3 + "/users/{user_id}/projects": projects.UserProjects(),
        v3 + "/users/{user_id}/groups": groups.UserGroups(),
        v3 + "/users/{user_id}/application_credentials":
            application_credentials.ApplicationCredentials(),
        v3 + "/users/{user_id}/application_credentials/{credential_id}":
            application_credentials.ApplicationCredential(),
        v3 + "/groups": groups.Groups(),
        v3 + "/groups/{group_id}": groups.Group(),
        v3 + "/groups/{group_id}/users": groups.GroupUsers(),
        v3 + "/groups/{group_id}/users/{user_id}": groups.GroupUser(),
        v3 + "/roles": roles.Roles(),
        v3 + "/roles/{role_id}": roles.Role(),
        v3 + "/roles/{role_id}/implies": roles.ImpliedRoles(),
        v3 + "/roles/{role_id}/implies/{implied_id}": roles.ImpliedRole(),
        v3 + "/role_inferences": roles.RoleInferences(),
        v3 + "/role_assignments": role_assignments.RoleAssignments(),
        v3 + "/regions": catalog.Regions(),
        v3 + "/regions/{region_id}": catalog.Region(),
        v3 + "/services": catalog.Services(),
        v3 + "/services/{service_id}": catalog.Service(),
        v3 + "/endpoints": catalog.Endpoints(),
        v3 + "/endpoints/{endpoint_id}": catalog.Endpoint(),
    }
    for target, plural in (("project", "projects"), ("domain", "domains")):
        for actor in ("user", "group"):
            base = f"{v3}/{plural}/{{{target}_id}}/{actor}s/{{actor_id}}/roles"
            routes[base] = grants.Grants(target, actor)
            routes[base + "/{role_id}"] = grants.Grant(target, actor)
    for actor in ("user", "group"):
        base = f"{v3}/system/{actor}s/{{actor_id}}/roles"
        routes[base] = grants.Grants("system", actor)
        routes[base + "/{role_id}"] = grants.Grant("system", actor)
    for template, resource in routes.items():
        app.add_route(template, resource)


ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "title"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                   "title": {"type": "string"}}}}}

API = APISpec(name="identity", prefix=PREFIX, add_routes=add_routes,
              error_body=error_body, error_schema=ERROR_SCHEMA,
              openapi_path="/v3/openapi.json", policies=policies.RULES,
              middleware=(ForgetCachedLookups(),))

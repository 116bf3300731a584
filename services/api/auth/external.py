"""Validation of tokens issued by an external Keystone, through keystoneauth1.

The api authenticates as the service user of ``[identity] service_*`` and asks
Keystone about each new token (GET /v3/auth/tokens). A valid answer is trusted for
``[identity] external_cache_time`` seconds or until the token expires, whichever is
sooner, so a revocation in Keystone reaches the api within that time.
"""
import datetime
import hashlib
import time
from dataclasses import dataclass

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from oslo_log import log as logging

from common import context, exceptions
from common.config import CONF
from services.api.auth.cache import TTLCache

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Validated:
    user_id: str
    project_id: str | None
    domain_id: str | None
    system: bool
    roles: tuple[str, ...]
    expires_at: float


def _parse_time(value: str) -> float:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


class ExternalValidator:
    def __init__(self) -> None:
        conf = CONF.identity
        self.url = conf.external_keystone_url.rstrip("/")
        auth = v3.Password(auth_url=self.url, username=conf.service_username,
                           password=conf.service_password,
                           project_name=conf.service_project_name,
                           user_domain_name=conf.service_user_domain_name,
                           project_domain_name=conf.service_project_domain_name)
        self.session = ks_session.Session(auth=auth, timeout=conf.external_timeout)
        self.cache = TTLCache(lambda: CONF.identity.external_cache_time)

    def context(self, auth_token: str, request_id: str) -> context.RequestContext:
        key = hashlib.sha256(auth_token.encode()).hexdigest()
        validated = self.cache.get_or_load(key, lambda: self._validate(auth_token))
        if validated.expires_at <= time.time():
            raise exceptions.Unauthorized("The token has expired.")
        return context.RequestContext(
            auth_token=auth_token, user_id=validated.user_id,
            project_id=validated.project_id, domain_id=validated.domain_id,
            system_scope="all" if validated.system else None, roles=list(validated.roles),
            is_admin="admin" in validated.roles, request_id=request_id)

    def _validate(self, auth_token: str) -> Validated:
        try:
            resp = self.session.get(f"{self.url}/auth/tokens", raise_exc=False,
                                    headers={"X-Subject-Token": auth_token})
        except ks_exceptions.ClientException as e:
            LOG.error("token validation against %s failed: %s", self.url, e)
            raise exceptions.StratoError("Identity service unavailable.") from e
        if resp.status_code in (401, 404):
            raise exceptions.Unauthorized("The request you have made requires "
                                          "authentication.")
        if resp.status_code != 200:
            LOG.error("token validation against %s answered %s", self.url,
                      resp.status_code)
            raise exceptions.StratoError("Identity service unavailable.")
        token = resp.json()["token"]
        return Validated(
            user_id=token["user"]["id"],
            project_id=(token.get("project") or {}).get("id"),
            domain_id=(token.get("domain") or {}).get("id"),
            system=bool(token.get("system")),
            roles=tuple(role["name"] for role in token.get("roles", [])),
            expires_at=_parse_time(token["expires_at"]))

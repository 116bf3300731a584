"""/flavors/{id}/os-extra_specs: a flavor's extra specs (admins change them)."""
import falcon

from common import exceptions, policy
from common.db.api import compute_flavors
from services.api import body, handlers

_VALUE = {"type": ["string", "number", "boolean"], "maxLength": 255}
_SPECS = {"type": "object", "additionalProperties": False,
          "patternProperties": {r"^[a-zA-Z0-9-_:. ]{1,255}$": _VALUE}}
CREATE = {"type": "object", "required": ["extra_specs"], "additionalProperties": False,
          "properties": {"extra_specs": _SPECS}}
UPDATE_KEY = {**_SPECS, "minProperties": 1, "maxProperties": 1}


def _stringify(specs: dict) -> dict[str, str]:
    # Nova stores every value as a string; JSON true becomes "True" as in Python.
    return {key: str(value) for key, value in specs.items()}


class ExtraSpecs:
    def on_get(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavor_extra_specs:index")
        flavor = compute_flavors.get(handlers.ctx(req), flavor_id)
        resp.media = {"extra_specs": flavor.extra_specs}

    def on_post(self, req: falcon.Request, resp: falcon.Response, flavor_id: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavor_extra_specs:manage", {})
        specs = _stringify(body.json_body(req, CREATE)["extra_specs"])
        compute_flavors.set_extra_specs(handlers.ctx(req), flavor_id, specs)
        resp.media = {"extra_specs": specs}


class ExtraSpec:
    def on_get(self, req: falcon.Request, resp: falcon.Response, flavor_id: str,
               key: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavor_extra_specs:show")
        specs = compute_flavors.get(handlers.ctx(req), flavor_id).extra_specs
        if key not in specs:
            raise exceptions.FlavorExtraSpecNotFound(flavor_id=flavor_id, key=key)
        resp.media = {key: specs[key]}

    def on_put(self, req: falcon.Request, resp: falcon.Response, flavor_id: str,
               key: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavor_extra_specs:manage", {})
        specs = _stringify(body.json_body(req, UPDATE_KEY))
        if key not in specs:
            raise exceptions.BadRequest("Request body and URI mismatch")
        compute_flavors.set_extra_specs(handlers.ctx(req), flavor_id, specs)
        resp.media = specs

    def on_delete(self, req: falcon.Request, resp: falcon.Response, flavor_id: str,
                  key: str) -> None:
        policy.authorize(handlers.ctx(req), "compute:flavor_extra_specs:manage", {})
        compute_flavors.delete_extra_spec(handlers.ctx(req), flavor_id, key)
        resp.status = 200

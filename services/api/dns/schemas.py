"""JSON schemas of DNS API bodies, as strict as Designate's: unknown keys are refused.

Names are only checked for their shape here (labels, trailing dot, length); the domain
functions (common.db.api.dns*) judge the rest: TLDs, zone placement, record data.
"""
_LABEL = r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)"
# A fully qualified name: at least one label, each followed by a dot.
FQDN = rf"^(?=.{{1,255}}$)({_LABEL}\.)+$"
# A recordset name may start with a wildcard label.
RECORDSET_NAME = rf"^(?=.{{1,255}}$)(\*\.)?({_LABEL}\.)+$"
# A TLD: labels without the trailing dot.
TLD_NAME = rf"^(?=.{{1,255}}$)({_LABEL}\.)*{_LABEL}$"

_TTL = {"type": "integer", "minimum": 0, "maximum": 2147483647}
_NULLABLE_TTL = {"type": ["integer", "null"], "minimum": 0, "maximum": 2147483647}
_DESCRIPTION = {"type": ["string", "null"], "maxLength": 160}
_EMAIL = {"type": "string", "minLength": 1, "maxLength": 255,
          "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"}
_MASTERS = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 255}}
_ATTRIBUTES = {"type": "object", "additionalProperties": {"type": "string",
                                                           "maxLength": 255}}

ZONE_CREATE = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": FQDN},
        "email": _EMAIL,
        "ttl": _TTL,
        "description": _DESCRIPTION,
        # FORWARD is Strato's: queries under the zone go to its masters (resolvers).
        "type": {"type": "string", "enum": ["PRIMARY", "SECONDARY", "FORWARD"]},
        "masters": _MASTERS,
        "attributes": _ATTRIBUTES,
    },
}
ZONE_UPDATE = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {"email": _EMAIL, "ttl": _TTL, "description": _DESCRIPTION,
                   "masters": _MASTERS, "attributes": _ATTRIBUTES},
}
ZONE_SHARE_CREATE = {
    "type": "object", "additionalProperties": False, "required": ["target_project_id"],
    "properties": {"target_project_id": {"type": "string", "minLength": 1, "maxLength": 64}},
}
# POST /zones/tasks/imports as application/json (API 2.3).
ZONE_IMPORT = {
    "type": "object", "additionalProperties": False, "required": ["zonefile"],
    "properties": {"zonefile": {"type": "string"}, "attributes": _ATTRIBUTES},
}

_RECORDS = {"type": "array", "minItems": 1, "maxItems": 10000,
            "items": {"type": "string", "minLength": 1, "maxLength": 65535}}
_RECORDSET_TYPE = {"type": "string", "pattern": "^[A-Za-z0-9]{1,16}$"}
RECORDSET_CREATE = {
    "type": "object", "additionalProperties": False,
    "required": ["name", "type", "records"],
    "properties": {
        "name": {"type": "string", "pattern": RECORDSET_NAME},
        "type": _RECORDSET_TYPE,
        "records": _RECORDS,
        "ttl": _NULLABLE_TTL,
        "description": _DESCRIPTION,
    },
}
# PUT carries the recordset; name and type may come along as long as they do not change.
RECORDSET_UPDATE = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {
        "name": {"type": "string", "pattern": RECORDSET_NAME},
        "type": _RECORDSET_TYPE,
        "records": _RECORDS,
        "ttl": _NULLABLE_TTL,
        "description": _DESCRIPTION,
    },
}

_TLD = {"name": {"type": "string", "pattern": TLD_NAME}, "description": _DESCRIPTION}
TLD_CREATE = {"type": "object", "additionalProperties": False, "required": ["name"],
              "properties": _TLD}
TLD_UPDATE = {"type": "object", "additionalProperties": False, "minProperties": 1,
              "properties": _TLD}

_QUOTA = {"type": "integer", "minimum": -1, "maximum": 2147483647}
QUOTAS = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {name: _QUOTA for name in ("zones", "zone_recordsets", "zone_records",
                                             "recordset_records", "api_export_size")},
}

PTR = {
    "type": "object", "additionalProperties": False, "required": ["ptrdname"],
    "properties": {"ptrdname": {"type": ["string", "null"], "pattern": FQDN},
                   "ttl": _NULLABLE_TTL, "description": _DESCRIPTION},
}

_ADDRESSES = {"type": "array", "minItems": 1, "items": {"type": "string"}}
INTERNAL_NAME_CREATE = {
    "type": "object", "additionalProperties": False, "required": ["name", "addresses"],
    "properties": {"name": {"type": "string", "pattern": FQDN},
                   "addresses": _ADDRESSES,
                   "network_id": {"type": ["string", "null"]},
                   "description": _DESCRIPTION},
}
INTERNAL_NAME_UPDATE = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {"addresses": _ADDRESSES, "description": _DESCRIPTION},
}

"""Checks of DNS names, TTLs and record data, and their canonical master-file text.

Pure functions (no database): names come back lower case and fully qualified, record
data as the text a master file holds, or an InvalidObject-family exception says why not.
"""
import ipaddress
import re

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.reversename

from common import exceptions
from common.config import CONF
from common.dns import record_rules

# 255 octets on the wire: the text of a FQDN with its trailing dot is one shorter.
MAX_NAME = 254
MAX_TTL = 2147483647
MAX_TXT_STRING = 255
# Types a user may create; SOA exists only as Strato's own recordset.
USER_TYPES = ("A", "AAAA", "CAA", "CNAME", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SPF",
              "SRV", "SSHFP", "SVCB", "TLSA", "TXT")
RECORD_TYPES = (*USER_TYPES, "SOA")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HOST_TYPES = ("CNAME", "NS", "PTR")


def _split(name: object) -> list[str]:
    """The labels of a fully qualified ``name``, lower case; ValueError says what is wrong."""
    if not isinstance(name, str) or not name:
        raise ValueError("a name is required")
    if not name.endswith("."):
        raise ValueError("it must be fully qualified (end with a dot)")
    if len(name) > MAX_NAME:
        raise ValueError(f"longer than {MAX_NAME} characters")
    labels = name[:-1].lower().split(".") if name != "." else []
    for label in labels:
        if not label:
            raise ValueError("empty label")
        if len(label) > 63:
            raise ValueError("a label is longer than 63 characters")
    return labels


def _hostname(name: object) -> str:
    """A fully qualified host name (letters, digits, '-', '_'), normalized."""
    labels = _split(name)
    for label in labels:
        if not _LABEL.match(label):
            raise ValueError(f"invalid label {label!r}")
    return ".".join(labels) + "."


def zone_name(name: object) -> str:
    """A valid zone name, normalized; at least two labels, no wildcard."""
    try:
        normalized = _hostname(name)
    except ValueError as error:
        raise exceptions.InvalidZoneName(name=name, reason=str(error)) from error
    if normalized.count(".") < 2:
        raise exceptions.InvalidZoneName(name=name, reason="more than one label is required")
    return normalized


def host_name(name: object) -> str:
    """A fully qualified host name (no wildcard, not the root), normalized."""
    try:
        normalized = _hostname(name)
    except ValueError as error:
        raise exceptions.InvalidObject(f"Invalid name {name!r}: {error}.") from error
    if normalized == ".":
        raise exceptions.InvalidObject("The root is not a host name.")
    return normalized


def tld_name(name: object) -> str:
    """A valid TLD name (``org``, ``co.uk``), normalized, without the trailing dot."""
    text = name + "." if isinstance(name, str) and not name.endswith(".") else name
    try:
        normalized = _hostname(text)
    except ValueError as error:
        raise exceptions.InvalidObject(f"Invalid TLD name {name!r}: {error}.") from error
    if normalized == ".":
        raise exceptions.InvalidObject("A TLD name is required.")
    return normalized[:-1]


def is_within(name: str, zone: str) -> bool:
    """True when ``name`` is ``zone`` or below it (both normalized FQDNs)."""
    return name == zone or name.endswith("." + zone)


def recordset_name(name: object, zone: str) -> str:
    """A valid recordset name inside ``zone``, normalized; ``*`` only as first label."""
    try:
        labels = _split(name)
    except ValueError as error:
        raise exceptions.InvalidRecordSetName(name=name, reason=str(error)) from error
    for position, label in enumerate(labels):
        if not (_LABEL.match(label) or (label == "*" and position == 0)):
            raise exceptions.InvalidRecordSetName(name=name, reason=f"invalid label {label!r}")
    normalized = ".".join(labels) + "."
    if not is_within(normalized, zone):
        raise exceptions.InvalidRecordSetLocation(name=name,
                                                  reason=f"it is not within zone {zone}")
    return normalized


def ttl(value: object) -> int | None:
    """A valid TTL (None keeps the zone's), between [dns] min_ttl and 2^31-1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise exceptions.InvalidTTL(ttl=value, reason="it must be an integer")
    if not CONF.dns.min_ttl <= value <= MAX_TTL:
        raise exceptions.InvalidTTL(
            ttl=value, reason=f"it must be between {CONF.dns.min_ttl} and {MAX_TTL}")
    return value


def email(value: object) -> str:
    if not isinstance(value, str) or not _EMAIL.match(value) or len(value) > MAX_NAME:
        raise exceptions.InvalidObject(f"Invalid email {value!r}.")
    return value


def email_to_rname(value: str) -> str:
    """The SOA RNAME of an email address: hostmaster@example.org -> hostmaster.example.org."""
    local, _, domain = value.partition("@")
    return local.replace(".", "\\.") + "." + domain.rstrip(".") + "."


def reverse_name(address: str) -> str:
    """The PTR owner name of an IPv4 or IPv6 address (``5.0.0.10.in-addr.arpa.``)."""
    return dns.reversename.from_address(address).to_text().lower()


# --- record data ------------------------------------------------------------------------

def _invalid(rtype: str, data: object, reason: str) -> exceptions.InvalidRecordData:
    return exceptions.InvalidRecordData(type=rtype, data=data, reason=reason.rstrip("."))


def _host(rtype: str, data: str, host: str, allow_root: bool = False) -> str:
    if allow_root and host == ".":
        return host
    try:
        normalized = _hostname(host)
    except ValueError as error:
        raise _invalid(rtype, data, f"host name {host!r}: {error}") from error
    if normalized == ".":
        raise _invalid(rtype, data, "the root is not a host name")
    return normalized


def _uint16(rtype: str, data: str, text: str, what: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise _invalid(rtype, data, f"{what} must be an integer from 0 to 65535")
    return int(text)


def _fields(rtype: str, data: str, count: int) -> list[str]:
    fields = data.split()
    if len(fields) != count:
        raise _invalid(rtype, data, f"expected {count} fields")
    return fields


def _txt(rtype: str, data: str) -> str:
    """Quoted character-strings; text ending in a backslash is refused, as in Designate."""
    if data.startswith('"'):
        if len(data) < 2 or not data.endswith('"') or data[-2] == "\\":
            raise _invalid(rtype, data, "quotes must be balanced and the text must not "
                                        "end with a backslash")
        return data
    if '"' in data or data.endswith("\\"):
        raise _invalid(rtype, data, "unquoted text must not contain quotes or end with "
                                    "a backslash")
    raw = data.encode()
    chunks = [raw[i:i + MAX_TXT_STRING] for i in range(0, len(raw), MAX_TXT_STRING)]
    return " ".join('"' + chunk.decode(errors="replace").replace("\\", "\\\\") + '"'
                    for chunk in chunks)


def _canonical(rtype: str, data: str) -> str:
    if rtype == "A":
        try:
            return str(ipaddress.IPv4Address(data))
        except ValueError as error:
            raise _invalid(rtype, data, "not an IPv4 address") from error
    if rtype == "AAAA":
        try:
            return str(ipaddress.IPv6Address(data))
        except ValueError as error:
            raise _invalid(rtype, data, "not an IPv6 address") from error
    if rtype in _HOST_TYPES:
        return _host(rtype, data, data)
    if rtype == "MX":
        preference, host = _fields(rtype, data, 2)
        return f"{_uint16(rtype, data, preference, 'the preference')} {_host(rtype, data, host)}"
    if rtype == "SRV":
        priority, weight, port, target = _fields(rtype, data, 4)
        numbers = [_uint16(rtype, data, text, what) for text, what in
                   ((priority, "priority"), (weight, "weight"), (port, "port"))]
        return " ".join(map(str, numbers)) + " " + _host(rtype, data, target, allow_root=True)
    if rtype in ("TXT", "SPF"):
        return _txt(rtype, data)
    if rtype in ("SVCB", "HTTPS"):
        fields = data.split(maxsplit=2)
        if len(fields) < 2:
            raise _invalid(rtype, data, "expected a priority, a target and parameters")
        _uint16(rtype, data, fields[0], "the priority")
        _host(rtype, data, fields[1], allow_root=True)
    return data  # the rest (SVCB parameters, TLSA, SSHFP, ...): dnspython's parser judges


def _rdata(rtype: str, data: object) -> dns.rdata.Rdata:
    """``data`` of a ``rtype`` record parsed, or InvalidRecordData."""
    if rtype not in RECORD_TYPES:
        raise exceptions.InvalidObject(f"Unsupported record type {rtype!r}.")
    if not isinstance(data, str) or not data.strip():
        raise _invalid(rtype, data, "a record must be a non-empty string")
    text = _canonical(rtype, data.strip())
    try:
        rdata = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype),
                                    text, origin=dns.name.root, relativize=False)
        record_rules.check_rdata(rdata)
    except (dns.exception.DNSException, ValueError) as error:
        raise _invalid(rtype, data, str(error) or type(error).__name__) from error
    return rdata


def canonical_rdata(rtype: str, data: object) -> str:
    """``data`` of a ``rtype`` record as master-file text, or InvalidRecordData."""
    return _rdata(rtype, data).to_text()


def records(rtype: str, name: str, zone: str, values: object) -> list[str]:
    """Validated records of one recordset, duplicates dropped, order kept."""
    if not isinstance(values, list):
        raise exceptions.InvalidObject("'records' must be a list.")
    if rtype == "CNAME":
        if name == zone:
            raise exceptions.InvalidRecordSetLocation(
                name=name, reason="CNAME recordsets may not be created at the zone apex")
        if len(values) > 1:
            raise exceptions.InvalidObject("A CNAME recordset holds a single record.")
    if rtype == "NS" and name.startswith("*."):
        raise exceptions.InvalidObject("NS recordsets may not be wildcards.")
    record_rules.check_owner(rtype, name, zone)
    unique: dict[str, tuple[str, dns.rdata.Rdata]] = {}
    for value in values:
        rdata = _rdata(rtype, value)
        unique.setdefault(rdata.to_text(), (value, rdata))
    try:
        record_rules.check_recordset(rtype, name, [rdata for _, rdata in unique.values()])
    except ValueError as error:
        raise exceptions.InvalidObject(f"Invalid {rtype} recordset {name}: {error}.") from None
    # Stored as submitted (Designate shows the records as the user wrote them).
    return [value for value, _ in unique.values()]

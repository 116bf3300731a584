"""Designate's rules for SVCB/HTTPS (RFC 9460) and TLSA (RFC 6698) recordsets, on top of
what dnspython's parser refuses by itself.

Problems with record data raise ValueError (the caller reports an invalid record); a
TLSA recordset in a place RFC 6698 does not name is a bad request, as Designate says.
"""
import re
from collections.abc import Mapping
from typing import cast

import dns.rdata
import dns.rdatatype
import dns.rdtypes.svcbbase as svcb
import dns.rdtypes.tlsabase as tlsa

from common import exceptions

SVCB_TYPES = (dns.rdatatype.SVCB, dns.rdatatype.HTTPS)
# The parameters and protocol ids Designate accepts (RFC 9460 leaves both open).
SVCB_KEYS = frozenset({svcb.ParamKey.MANDATORY, svcb.ParamKey.ALPN,
                       svcb.ParamKey.NO_DEFAULT_ALPN, svcb.ParamKey.PORT,
                       svcb.ParamKey.IPV4HINT, svcb.ParamKey.ECH, svcb.ParamKey.IPV6HINT,
                       svcb.ParamKey.DOHPATH})
ALPN_IDS = (b"h3", b"h2", b"h2c", b"http/1.1", b"http/1.0")
# RFC 9461: a DNS server reached over HTTP/2 or HTTP/3 must say where (dohpath).
_DOH_ALPN = frozenset({b"h2", b"h3"})
_DOH_VARIABLE = "{?dns}"
# Matching types whose association data is a digest: SHA-256 and SHA-512 (RFC 6698 2.1.3).
TLSA_DIGEST_BYTES = {1: 32, 2: 64}
_TLSA_PORT = re.compile(r"^_(\d{1,5})$")
_TLSA_PROTOCOL = re.compile(r"^_[a-z][a-z0-9-]*$")


def check_owner(rtype: str, name: str, zone: str) -> None:
    """A TLSA recordset is named ``_<port>._<protocol>.<host>`` below the apex."""
    if rtype != "TLSA":
        return
    labels = name.split(".")
    port = _TLSA_PORT.match(labels[0])
    if (name == zone or port is None or int(port.group(1)) > 65535
            or not _TLSA_PROTOCOL.match(labels[1])):
        raise exceptions.DNSBadRequest(
            f"TLSA recordset {name} must be named _<port>._<protocol>.<host>, with a port "
            "from 0 to 65535 (RFC 6698), below the zone apex.")


def check_rdata(rdata: dns.rdata.Rdata) -> None:
    """Raise ValueError when one parsed record breaks Designate's rules."""
    if rdata.rdtype in SVCB_TYPES:
        _check_svcb_params(cast(svcb.SVCBBase, rdata).params)
    elif rdata.rdtype == dns.rdatatype.TLSA:
        # dnspython checks this too since 2.9; older releases accept any length.
        record = cast(tlsa.TLSABase, rdata)
        expected = TLSA_DIGEST_BYTES.get(record.mtype)
        if expected is not None and len(record.cert) != expected:
            raise ValueError(f"matching type {record.mtype} needs {2 * expected} hex digits "
                             f"({expected} bytes), not {2 * len(record.cert)}")


def _check_svcb_params(params: Mapping) -> None:
    for key in params:
        if key not in SVCB_KEYS:
            raise ValueError(f"unsupported parameter {svcb.key_to_text(key)}")
    alpn = params.get(svcb.ParamKey.ALPN)
    for protocol in alpn.ids if alpn is not None else ():
        if protocol not in ALPN_IDS:
            raise ValueError(f"unsupported alpn {protocol.decode(errors='replace')!r}, not "
                             f"one of {', '.join(i.decode() for i in ALPN_IDS)}")
    dohpath = params.get(svcb.ParamKey.DOHPATH)
    if dohpath is not None:
        path = dohpath.value.decode(errors="replace")
        if not path.startswith("/") or _DOH_VARIABLE not in path:
            raise ValueError(f"dohpath must be a relative URI template holding "
                             f"{_DOH_VARIABLE}")


def check_recordset(rtype: str, name: str, rdatas: list[dns.rdata.Rdata]) -> None:
    """Raise ValueError when the records of one recordset break a rule about its name:
    an SVCB record of a DNS server (a ``_dns`` label) offering h2 or h3 needs a dohpath."""
    if rtype != "SVCB" or "_dns" not in name.split("."):
        return
    for rdata in rdatas:
        params = cast(svcb.SVCBBase, rdata).params
        alpn = params.get(svcb.ParamKey.ALPN)
        if (alpn is not None and _DOH_ALPN & set(alpn.ids)
                and svcb.ParamKey.DOHPATH not in params):
            raise ValueError("an SVCB record of a DNS server offering h2 or h3 needs a "
                             "dohpath (RFC 9461)")

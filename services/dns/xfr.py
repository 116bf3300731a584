"""Reading zones from other servers: SOA serial queries and AXFR, optionally with TSIG."""
from dataclasses import dataclass
from typing import Any

import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsigkeyring
import dns.xfr
import dns.zone


@dataclass(frozen=True)
class Tsig:
    """A TSIG key: name, algorithm (``hmac-sha256``) and base64 secret."""

    name: str
    algorithm: str
    secret: str

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments of dnspython's make_query, UpdateMessage and xfr."""
        keyring = dns.tsigkeyring.from_text({self.name: (self.algorithm, self.secret)})
        return {"keyring": keyring, "keyname": dns.name.from_text(self.name),
                "keyalgorithm": self.algorithm}

    def sign(self, message: dns.message.Message) -> None:
        kwargs = self.kwargs()
        message.use_tsig(kwargs["keyring"], keyname=kwargs["keyname"],
                         algorithm=self.algorithm)


def _tsig_kwargs(tsig: Tsig | None) -> dict[str, Any]:
    return tsig.kwargs() if tsig is not None else {}


def query(name: str, rdtype: str, host: str, port: int, timeout: float,
          tsig: Tsig | None = None) -> dns.message.Message:
    """One query over UDP (TCP when the answer is truncated)."""
    request = dns.message.make_query(name, rdtype)
    if tsig is not None:
        tsig.sign(request)
    response = dns.query.udp(request, host, port=port, timeout=timeout)
    if response.flags & dns.flags.TC:
        response = dns.query.tcp(request, host, port=port, timeout=timeout)
    return response


def soa_serial(name: str, host: str, port: int, timeout: float,
               tsig: Tsig | None = None) -> int | None:
    """The serial ``host`` serves authoritatively for zone ``name``; None if it does not."""
    response = query(name, "SOA", host, port, timeout, tsig)
    if response.rcode() != dns.rcode.NOERROR or not response.flags & dns.flags.AA:
        return None
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.SOA and rrset.name == dns.name.from_text(name):
            return rrset[0].serial
    return None


def transfer(name: str, host: str, port: int, timeout: float,
             tsig: Tsig | None = None) -> dns.zone.Zone:
    """The whole zone ``name`` from ``host`` by AXFR (raises on failure)."""
    zone = dns.zone.Zone(name, relativize=False)
    request, _serial = dns.xfr.make_query(zone, serial=None, **_tsig_kwargs(tsig))
    dns.query.inbound_xfr(host, zone, query=request, port=port, timeout=timeout,
                          lifetime=timeout * 10)
    return zone

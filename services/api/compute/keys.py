"""Keypair material: fingerprints of imported keys and generated key pairs (ssh and
x509), with Nova's fingerprint formats."""
import base64
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from common import exceptions

_INVALID = "Keypair data is invalid: failed to generate fingerprint"


def _colons(digest: str) -> str:
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def fingerprint(public_key: str, key_type: str) -> str:
    """MD5 of an ssh key's blob, SHA-1 of an x509 certificate; 400 if unparseable."""
    try:
        if key_type == "x509":
            cert = x509.load_pem_x509_certificate(public_key.encode())
            return _colons(cert.fingerprint(hashes.SHA1()).hex())  # noqa: S303 - Nova's
        serialization.load_ssh_public_key(public_key.strip().encode())
        blob = base64.b64decode(public_key.split()[1])
    except (ValueError, IndexError, TypeError, UnicodeError):
        raise exceptions.BadRequest(_INVALID) from None
    return _colons(hashlib.md5(blob, usedforsecurity=False).hexdigest())


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def generate(key_type: str, name: str) -> tuple[str, str]:
    """(private key PEM, public key) of a new RSA key: an OpenSSH public key, or for
    x509 a self-signed certificate."""
    key = _private_key()
    if key_type != "x509":
        public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                               serialization.PublicFormat.OpenSSH)
        return _private_pem(key), public.decode() + " Generated-by-Strato"
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    return _private_pem(key), cert.public_bytes(serialization.Encoding.PEM).decode()

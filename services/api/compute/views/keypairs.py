"""Keypair bodies: 2.2 adds type."""
from typing import Any

from common.db.api import compute_keypairs
from services.api.compute.microversion import Version
from services.api.compute.views import common


def _typed(body: dict[str, Any], keypair: compute_keypairs.KeyPairRecord, version: Version) -> dict:
    if version >= (2, 2):
        body["type"] = keypair.type
    return body


def summary(keypair: compute_keypairs.KeyPairRecord, version: Version) -> dict[str, Any]:
    return {"keypair": _typed({"name": keypair.name, "public_key": keypair.public_key,
                               "fingerprint": keypair.fingerprint}, keypair, version)}


def detail(keypair: compute_keypairs.KeyPairRecord, version: Version) -> dict[str, Any]:
    return {"keypair": _typed({
        "name": keypair.name, "public_key": keypair.public_key,
        "fingerprint": keypair.fingerprint, "user_id": keypair.user_id,
        "created_at": common.iso(keypair.created_at),
        "updated_at": common.iso(keypair.updated_at), "deleted": False,
        "deleted_at": None, "id": keypair.id}, keypair, version)}


def created(keypair: compute_keypairs.KeyPairRecord, version: Version,
            private_key: str | None) -> dict[str, Any]:
    body = {"name": keypair.name, "public_key": keypair.public_key,
            "fingerprint": keypair.fingerprint, "user_id": keypair.user_id}
    if private_key is not None:
        body["private_key"] = private_key
    return {"keypair": _typed(body, keypair, version)}

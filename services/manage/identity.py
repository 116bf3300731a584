"""strato-manage bootstrap | fernet setup | fernet rotate.

bootstrap makes a fresh cloud usable and is safe to run again: it creates whatever is
missing (Default domain, Keystone's roles admin ⊃ manager ⊃ member ⊃ reader and service,
the admin project and user, the service catalog, Fernet keys) and changes nothing else,
except passwords given on the command line.
"""
import argparse
import functools
from collections.abc import Callable
from typing import TypeVar

from common import context, exceptions
from common import fernet_keys as keys
from common.config import CONF
from common.db.api import identity as identity_db
from common.db.api import identity_assignments as assignments_db
from common.db.api import identity_catalog as catalog_db

DEFAULT_DOMAIN_NAME = "Default"
# Keystone's bootstrap roles: admin ⊃ manager ⊃ member ⊃ reader, and service.
ROLES = ("admin", "manager", "member", "reader", "service")
IMPLIES = (("admin", "manager"), ("manager", "member"), ("member", "reader"))
# service type → (catalog name, path of its endpoint below [api] public_url)
SERVICES = {
    "identity": ("keystone", "identity"),
    "compute": ("nova", "compute/v2.1"),
    "network": ("neutron", "network"),
    "image": ("glance", "image"),
    "dns": ("designate", "dns"),
}
INTERFACES = ("public", "internal", "admin")


def register(categories: argparse._SubParsersAction) -> None:
    boot = categories.add_parser("bootstrap", help="Create the Default domain, roles, "
                                 "admin (and demo) project and user, catalog and keys.")
    boot.add_argument("--admin-password", required=True)
    boot.add_argument("--demo-password", help="Also create project and user 'demo' "
                      "(member role) with this password.")
    boot.set_defaults(func=bootstrap)
    actions = categories.add_parser("fernet", help="Token keys.").add_subparsers(
        dest="action", required=True)
    actions.add_parser("setup", help="Create the key repository unless it "
                       "exists.").set_defaults(func=fernet_setup)
    actions.add_parser("rotate", help="Promote the staged key; tokens made with the "
                       "former primary stay valid.").set_defaults(func=fernet_rotate)


def fernet_setup(_args: argparse.Namespace) -> None:
    created = keys.setup(CONF.identity.key_repository)
    print(("created keys in " if created else "keys already in ")
          + CONF.identity.key_repository)


def fernet_rotate(_args: argparse.Namespace) -> None:
    primary = keys.rotate(CONF.identity.key_repository, CONF.identity.max_active_keys)
    print(f"key {primary} is now primary")


T = TypeVar("T")


def _ensure(get: Callable[[], T], create: Callable[[], T]) -> T:
    """What ``get`` finds, else what ``create`` makes."""
    try:
        return get()
    except exceptions.NotFound:
        return create()


def _ensure_user(name: str, password: str, domain_id: str) -> str:
    system = context.get_admin_context()
    try:
        user = identity_db.find_user(system, name, domain_id)
    except exceptions.NotFound:
        return identity_db.create_user(system, name, domain_id, password=password).id
    if not identity_db.check_password(password, user.password_hash):
        identity_db.update_user(system, user.id, {"password": password})
    return user.id


def _ensure_project_user(name: str, password: str, role_id: str) -> None:
    """Project and user ``name`` (same name), the user holding ``role_id`` there."""
    domain_id, system = identity_db.DEFAULT_DOMAIN_ID, context.get_admin_context()
    project = _ensure(lambda: identity_db.find_project(system, name, domain_id),
                      lambda: identity_db.create_project(system, name, domain_id,
                                                         description=f"{name} project"))
    user_id = _ensure_user(name, password, domain_id)
    assignments_db.grant(system, "user", user_id, "project", project.id, role_id)
    if name == "admin":
        assignments_db.grant(system, "user", user_id, "system", assignments_db.SYSTEM, role_id)
    print(f"user {name} ({user_id}) has role on project {name} ({project.id})")


def _ensure_catalog() -> None:
    ctxt = context.get_admin_context()
    region = CONF.identity.region
    _ensure(lambda: catalog_db.get_region(ctxt, region),
            lambda: catalog_db.create_region(ctxt, region))
    base = CONF.api.public_url.rstrip("/")
    for service_type, (name, path) in SERVICES.items():
        found = catalog_db.list_services(ctxt, type=service_type)
        service = found[0] if found else catalog_db.create_service(ctxt, service_type, name)
        endpoints = {e.interface: e for e in catalog_db.list_endpoints(
            ctxt, service_id=service.id, region_id=region)}
        url = f"{base}/{path}"
        for interface in INTERFACES:
            endpoint = endpoints.get(interface)
            if endpoint is None:
                catalog_db.create_endpoint(ctxt, service.id, interface, url, region)
            elif endpoint.url != url:
                catalog_db.update_endpoint(ctxt, endpoint.id, {"url": url})
    print(f"catalog: {', '.join(SERVICES)} at {base} in region {region}")


def bootstrap(args: argparse.Namespace) -> None:
    fernet_setup(args)
    system = context.get_admin_context()
    _ensure(lambda: identity_db.get_domain(system, identity_db.DEFAULT_DOMAIN_ID),
            lambda: identity_db.create_domain(system, DEFAULT_DOMAIN_NAME,
                                              "The default domain",
                                              domain_id=identity_db.DEFAULT_DOMAIN_ID))
    roles = {name: _ensure(functools.partial(assignments_db.find_role, system, name),
                           functools.partial(assignments_db.create_role, system, name)).id
             for name in ROLES}
    for prior, implied in IMPLIES:
        assignments_db.create_implied_role(system, roles[prior], roles[implied])
    _ensure_project_user("admin", args.admin_password, roles["admin"])
    if args.demo_password:
        _ensure_project_user("demo", args.demo_password, roles["member"])
    _ensure_catalog()

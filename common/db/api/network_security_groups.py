"""Security groups and their rules, with the per-project ``default`` group created on
first use (see common.db.api.network)."""
from collections.abc import Sequence
from typing import Any

import netaddr
import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions, ip_protocols
from common.db import models, session
from common.db.api import network_common as common
from common.db.api import network_quotas, network_records
from common.db.api.network_records import SecurityGroup, SecurityGroupRule

DEFAULT_NAME = "default"


SG_SQL_FILTERS = {"id": models.SecurityGroup.id, "name": models.SecurityGroup.name,
                  "project_id": models.SecurityGroup.project_id,
                  "tenant_id": models.SecurityGroup.project_id}
RULE_SQL_FILTERS = {"id": models.SecurityGroupRule.id,
                    "security_group_id": models.SecurityGroupRule.security_group_id,
                    "direction": models.SecurityGroupRule.direction,
                    "project_id": models.SecurityGroupRule.project_id,
                    "tenant_id": models.SecurityGroupRule.project_id}


def find(s: orm.Session, ctxt: Any, sg_id: str) -> models.SecurityGroup:
    sg = s.get(models.SecurityGroup, sg_id)
    if sg is None or not common.owns(ctxt, sg):
        raise exceptions.SecurityGroupNotFound(id=sg_id)
    return sg


def find_rule(s: orm.Session, ctxt: Any, rule_id: str) -> models.SecurityGroupRule:
    rule = s.get(models.SecurityGroupRule, rule_id)
    if rule is None or not (common.owns(ctxt, rule) or common.owns(
            ctxt, s.get(models.SecurityGroup, rule.security_group_id))):
        raise exceptions.SecurityGroupRuleNotFound(id=rule_id)
    return rule


def _render(s: orm.Session,
            sgs: Sequence[models.SecurityGroup]) -> list[SecurityGroup]:
    tags = common.tags_of(s, [sg.id for sg in sgs])
    return [network_records.security_group(sg, tags[sg.id]) for sg in sgs]


def _render_rules(s: orm.Session,
                  rules: Sequence[models.SecurityGroupRule]) -> list[SecurityGroupRule]:
    tags = common.tags_of(s, [rule.id for rule in rules])
    return [network_records.security_group_rule(rule, tags[rule.id]) for rule in rules]


def _rule(sg: models.SecurityGroup, direction: str, ethertype: str,
          remote_group_id: str | None = None) -> models.SecurityGroupRule:
    return models.SecurityGroupRule(
        id=models.base.new_uuid(), project_id=sg.project_id, security_group_id=sg.id,
        direction=direction, ethertype=ethertype, remote_group_id=remote_group_id,
        description="", revision_number=1)


def _new_group(s: orm.Session, project_id: str, name: str,
               description: str, stateful: bool = True) -> models.SecurityGroup:
    """A group with Neutron's rules: egress anywhere (IPv4 and IPv6)."""
    sg = models.SecurityGroup(id=models.base.new_uuid(), project_id=project_id, name=name,
                              description=description, stateful=stateful, revision_number=1)
    sg.rules = [_rule(sg, "egress", "IPv4"), _rule(sg, "egress", "IPv6")]
    s.add(sg)
    return sg


def ensure_default(s: orm.Session, project_id: str) -> str:
    """The id of the project's ``default`` group, made on first use with Neutron's rules:
    ingress from members of the group and egress anywhere, IPv4 and IPv6. Two racing
    requests both insert the DefaultSecurityGroup row; one fails and is retried."""
    existing = s.get(models.DefaultSecurityGroup, project_id)
    if existing is not None:
        return existing.security_group_id
    sg = _new_group(s, project_id, DEFAULT_NAME, "Default security group")
    sg.rules += [_rule(sg, "ingress", "IPv4", sg.id), _rule(sg, "ingress", "IPv6", sg.id)]
    s.flush()  # the group before the row that points at it (no relationship orders them)
    s.add(models.DefaultSecurityGroup(project_id=project_id, security_group_id=sg.id))
    s.flush()
    return sg.id


def _ensure_callers_default(s: orm.Session, ctxt: Any) -> None:
    if ctxt.project_id:
        ensure_default(s, ctxt.project_id)


def _is_default(s: orm.Session, sg: models.SecurityGroup) -> bool:
    row = s.get(models.DefaultSecurityGroup, sg.project_id)
    return row is not None and row.security_group_id == sg.id


# --- security groups -----------------------------------------------------------------------

@common.retry_on_db_conflict
def create_security_group(ctxt: Any, values: common.Values) -> SecurityGroup:
    with session.transaction() as s:
        values = dict(values)  # a retry must see the caller's values again
        project_id = common.owner_of_new(ctxt, values)
        ensure_default(s, project_id)
        if values.get("name") == DEFAULT_NAME:
            raise exceptions.Conflict("Default security group already exists.")
        network_quotas.check(s, project_id, "security_group")
        sg = _new_group(s, project_id, values.get("name", ""), values.get("description", ""),
                        values.get("stateful", True))
        s.flush()
        return _render(s, [sg])[0]


@common.retry_on_db_conflict
def get_security_group(ctxt: Any, sg_id: str) -> SecurityGroup:
    with session.transaction() as s:
        _ensure_callers_default(s, ctxt)
        return _render(s, [find(s, ctxt, sg_id)])[0]


@common.retry_on_db_conflict
def list_security_groups(ctxt: Any,
                         filters: common.Filters | None = None) -> list[SecurityGroup]:
    query = sa.select(models.SecurityGroup)
    if not common.is_admin(ctxt):
        query = query.where(models.SecurityGroup.project_id == ctxt.project_id)
    with session.transaction() as s:
        _ensure_callers_default(s, ctxt)
        query = common.sql_filters(query, filters, SG_SQL_FILTERS)
        items = _render(s, list(s.scalars(query)))
    return items


@common.retry_on_db_conflict
def update_security_group(ctxt: Any, sg_id: str, values: common.Values) -> SecurityGroup:
    with session.transaction() as s:
        sg = find(s, ctxt, sg_id)
        values = dict(values)  # a retry must see the caller's values again
        if "name" in values and values["name"] != sg.name and (
                _is_default(s, sg) or values["name"] == DEFAULT_NAME):
            raise exceptions.Conflict("Updating default security group not allowed.")
        for key, value in values.items():
            setattr(sg, key, value)
        common.bump(sg)
        s.flush()
        return _render(s, [sg])[0]


@common.retry_on_db_conflict
def delete_security_group(ctxt: Any, sg_id: str) -> None:
    """Bound to a port: 409. The default group: 409 except for admins."""
    with session.transaction() as s:
        sg = find(s, ctxt, sg_id)
        if _is_default(s, sg) and not common.is_admin(ctxt):
            raise exceptions.SecurityGroupCannotRemoveDefault()
        bound = sa.select(models.SecurityGroupPortBinding.port_id).where(
            models.SecurityGroupPortBinding.security_group_id == sg.id).limit(1)
        if s.scalar(bound) is not None:
            raise exceptions.SecurityGroupInUse(id=sg.id)
        for rule in sg.rules:
            common.delete_tags(s, rule.id)
        common.delete_tags(s, sg.id)
        s.delete(sg)


# --- rules ---------------------------------------------------------------------------

def _check_rule(values: common.Values) -> None:
    """Neutron's checks: prefix matches ethertype, one remote at most, port ranges only
    for port protocols (or type/code for ICMP)."""
    ethertype, prefix = values["ethertype"], values.get("remote_ip_prefix")
    if prefix and f"IPv{netaddr.IPNetwork(prefix).version}" != ethertype:
        raise common.invalid(f"Conflicting value ethertype {ethertype} for CIDR {prefix}")
    if prefix and values.get("remote_group_id"):
        raise common.invalid("Only remote_ip_prefix or remote_group_id may be provided.")
    number = ip_protocols.number(values.get("protocol"))
    low, high = values.get("port_range_min"), values.get("port_range_max")
    if number in ip_protocols.ICMP:
        if high is not None and low is None:
            raise common.invalid(f"ICMP code (port-range-max) {high} is provided but ICMP "
                                 "type (port-range-min) is missing.")
        for field, attr, value in (("type", "port-range-min", low),
                                   ("code", "port-range-max", high)):
            if value is not None and not 0 <= value <= 255:
                raise common.invalid(f"Invalid value for ICMP {field} ({attr}) {value}. "
                                     "It must be 0 to 255.")
    elif low is not None or high is not None:
        if number not in ip_protocols.WITH_PORTS:
            raise common.invalid("Invalid protocol for port range, only supported for TCP, "
                                 "UDP, UDPLITE, SCTP and DCCP.")
        if high is None:
            values["port_range_max"] = high = low
        if low is None or low < 1 or low > high:
            raise common.invalid("For TCP/UDP protocols, port_range_min must be <= "
                                 "port_range_max and both within 1..65535")
    if ethertype == "IPv4" and values.get("protocol") in ("icmpv6", "ipv6-icmp"):
        raise common.invalid(f"Protocol {values['protocol']} is not supported for "
                             "ethertype IPv4")


def _duplicate(sg: models.SecurityGroup, rule: models.SecurityGroupRule) -> str | None:
    def key(r: models.SecurityGroupRule) -> tuple:
        prefix = str(netaddr.IPNetwork(r.remote_ip_prefix).cidr) if r.remote_ip_prefix else None
        return (r.direction, r.ethertype, ip_protocols.number(r.protocol), r.port_range_min,
                r.port_range_max, prefix, r.remote_group_id)
    return next((other.id for other in sg.rules if other is not rule
                 and key(other) == key(rule)), None)


def _create_rule(s: orm.Session, ctxt: Any, values: common.Values) -> models.SecurityGroupRule:
    values = dict(values)  # a retry must see the caller's values again
    values.pop("remote_address_group_id", None)
    if "security_group_id" not in values or "direction" not in values:
        raise common.invalid("security_group_id and direction are required")
    sg = find(s, ctxt, values.pop("security_group_id"))
    project_id = common.owner_of_new(ctxt, values)
    values.setdefault("ethertype", "IPv4")
    if values.get("remote_group_id"):
        find(s, ctxt, values["remote_group_id"])
    _check_rule(values)
    network_quotas.check(s, project_id, "security_group_rule")
    rule = models.SecurityGroupRule(
        id=models.base.new_uuid(), project_id=project_id, security_group_id=sg.id,
        direction=values["direction"], ethertype=values["ethertype"],
        protocol=values.get("protocol"), port_range_min=values.get("port_range_min"),
        port_range_max=values.get("port_range_max"),
        remote_ip_prefix=values.get("remote_ip_prefix"),
        remote_group_id=values.get("remote_group_id") or None,
        description=values.get("description", ""), revision_number=1)
    sg.rules.append(rule)
    duplicate = _duplicate(sg, rule)
    if duplicate:
        raise exceptions.SecurityGroupRuleExists(rule_id=duplicate)
    common.bump(sg)
    s.flush()
    return rule


@common.retry_on_db_conflict
def create_security_group_rules(ctxt: Any, items: list[common.Values]) -> list[SecurityGroupRule]:
    """Bulk create: all rules or none."""
    with session.transaction() as s:
        rules = [_create_rule(s, ctxt, values) for values in items]
        return _render_rules(s, rules)


def create_security_group_rule(ctxt: Any, values: common.Values) -> SecurityGroupRule:
    return create_security_group_rules(ctxt, [values])[0]


def get_security_group_rule(ctxt: Any, rule_id: str) -> SecurityGroupRule:
    with session.reader() as s:
        return _render_rules(s, [find_rule(s, ctxt, rule_id)])[0]


def list_security_group_rules(ctxt: Any, filters: common.Filters | None = None,
                              ) -> list[SecurityGroupRule]:
    query = sa.select(models.SecurityGroupRule)
    if not common.is_admin(ctxt):
        own = sa.select(models.SecurityGroup.id).where(
            models.SecurityGroup.project_id == ctxt.project_id)
        query = query.where(sa.or_(models.SecurityGroupRule.project_id == ctxt.project_id,
                                   models.SecurityGroupRule.security_group_id.in_(own)))
    with session.reader() as s:
        query = common.sql_filters(query, filters, RULE_SQL_FILTERS)
        items = _render_rules(s, list(s.scalars(query)))
    return items


@common.retry_on_db_conflict
def delete_security_group_rule(ctxt: Any, rule_id: str) -> None:
    with session.transaction() as s:
        rule = find_rule(s, ctxt, rule_id)
        sg = s.get_one(models.SecurityGroup, rule.security_group_id)
        sg.rules.remove(rule)
        common.delete_tags(s, rule_id)
        common.bump(sg)

"""Writes to the territory app: loading the tree, party units, offices and bodies."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from abwab.core.bidi import join_list
from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can, can_add, grants, policy_for
from abwab.territory.models import (
    PATH_SEPARATOR,
    Body,
    Kind,
    Level,
    Office,
    PartyUnit,
    Quorum,
    Territory,
    common_path,
)
from abwab.territory.sources import TerritoryDataError, TerritoryRow

_FIELDS = ("kind", "level", "name_ar", "name_fr", "population_2024")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _validate(rows: list[TerritoryRow]) -> None:
    errors: list[str] = []
    by_code = {row.code: row for row in rows}
    for code, count in Counter(row.code for row in rows).items():
        if count > 1:
            errors.append(
                _("code %(code)s appears %(count)d times") % {"code": code, "count": count}
            )
    for row in rows:
        if not row.code:
            errors.append(_("a row has no code (%(name)s)") % {"name": row.name_fr or row.name_ar})
            continue
        if not row.name_ar or not row.name_fr:
            errors.append(
                _("%(code)s: both an Arabic and a French name are required") % {"code": row.code}
            )
        if row.level == Level.NATION:
            continue
        parent = by_code.get(row.parent_code or "")
        if parent is None:
            errors.append(
                _("%(code)s: unknown parent territory code %(parent)r")
                % {"code": row.code, "parent": row.parent_code}
            )
        elif parent.level > row.level or (
            parent.level == row.level and row.kind != Kind.PREFECTURE_OF_ARRONDISSEMENTS
        ):
            errors.append(
                _("%(code)s: its parent %(parent)s is not above it")
                % {"code": row.code, "parent": parent.code}
            )
        if row.group_code and row.group_code not in by_code:
            errors.append(
                _("%(code)s: unknown prefecture of arrondissements %(group)r")
                % {"code": row.code, "group": row.group_code}
            )
    if errors:
        raise TerritoryDataError(errors)


def _depths(rows: list[TerritoryRow]) -> dict[str, int]:
    """How far each row is from the root, so parents are always saved before their children."""
    parent_of = {row.code: row.parent_code for row in rows}
    depth: dict[str, int] = {}
    for code in parent_of:
        chain = [code]
        while (parent := parent_of.get(chain[-1])) and parent not in depth:
            chain.append(parent)
        base = depth.get(parent_of.get(chain[-1]) or "", -1)
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = base + offset
    return depth


@transaction.atomic
def territory_load(*, rows: list[TerritoryRow]) -> LoadResult:
    """Create or update the whole tree from rows, all or nothing; a second run changes nothing."""
    _validate(rows)
    existing = {t.code: t for t in Territory.objects.all()}
    created = updated = unchanged = 0
    saved: dict[str, Territory] = {}
    depth = _depths(rows)
    for current in sorted(set(depth.values())):
        to_create, to_update = [], []
        for row in (r for r in rows if depth[r.code] == current):
            parent = saved.get(row.parent_code) if row.parent_code else None
            path = (parent.path if parent else "") + row.code + PATH_SEPARATOR
            node = existing.get(row.code)
            if node is None:
                node = Territory(
                    code=row.code, parent=parent, path=path, **{f: getattr(row, f) for f in _FIELDS}
                )
                to_create.append(node)
            elif (
                node.path != path
                or node.parent_id != (parent.pk if parent else None)
                or any(getattr(node, f) != getattr(row, f) for f in _FIELDS)
            ):
                node.parent, node.path = parent, path
                for field in _FIELDS:
                    setattr(node, field, getattr(row, field))
                to_update.append(node)
            else:
                unchanged += 1
            saved[row.code] = node
        Territory.objects.bulk_create(to_create)
        Territory.objects.bulk_update(to_update, ["parent", "path", *_FIELDS])
        created += len(to_create)
        updated += len(to_update)
    grouped = []
    for row in rows:
        node = saved[row.code]
        group_id = saved[row.group_code].pk if row.group_code else None
        if node.group_id != group_id:
            node.group_id = group_id
            grouped.append(node)
    Territory.objects.bulk_update(grouped, ["group"])
    return LoadResult(created, updated, unchanged)


def territories_by_codes(codes: list[str]) -> list[Territory]:
    """The nodes with these HCP codes, or a clear error naming every unknown code."""
    found = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            _("Unknown territory code(s): %(codes)s") % {"codes": join_list(unknown)},
            code=ErrorCode.UNKNOWN_TERRITORY,
        )
    return [found[code] for code in codes]


def _common_ancestor(nodes: list[Territory]) -> Territory:
    return Territory.objects.get(path=common_path(node.path for node in nodes))


@transaction.atomic
def party_unit_create(
    *, code: str, name_ar: str, name_fr: str, territory_codes: list[str]
) -> PartyUnit:
    """A party unit over the given nodes, anchored at their lowest common ancestor."""
    if not territory_codes:
        raise ValidationError(
            _("A party unit must cover at least one territory."), code=ErrorCode.EMPTY_UNIT
        )
    nodes = territories_by_codes(territory_codes)
    unit = PartyUnit(code=code, name_ar=name_ar, name_fr=name_fr, anchor=_common_ancestor(nodes))
    unit.full_clean()
    unit.save()
    unit.territories.set(nodes)
    return unit


@transaction.atomic
def office_create(
    *, territory: Territory, name_ar: str, name_fr: str, address: str, phone: str = ""
) -> Office:
    """Open a party office at a territory node."""
    office = Office(
        territory=territory, name_ar=name_ar, name_fr=name_fr, address=address, phone=phone
    )
    office.full_clean()
    office.save()
    return office


@transaction.atomic
def body_create(
    *,
    kind: str,
    territory: Territory,
    name_ar: str,
    name_fr: str,
    party_unit: PartyUnit | None = None,
    actor=None,
    founded_on: datetime.date | None = None,
    quorum: str = Quorum.MAJORITY,
    proxies_allowed: bool = False,
) -> Body:
    """Create a party body at a territory node or, with `party_unit`, at the unit's anchor; an
    actor (None for the system) must hold a secretary's role over the node or on the unit."""
    if party_unit is not None:
        territory = party_unit.anchor
    if actor is not None and not _may_add_body(actor, territory, party_unit):
        raise ValidationError(_("You cannot create a body there."), code=ErrorCode.FORBIDDEN)
    body = Body(
        kind=kind,
        territory=territory,
        party_unit=party_unit,
        name_ar=" ".join(name_ar.split()),
        name_fr=" ".join(name_fr.split()),
        founded_on=founded_on,
        quorum=quorum,
        proxies_allowed=proxies_allowed,
    )
    body.full_clean()
    body.save()
    return body


def _may_add_body(actor, territory: Territory, party_unit: PartyUnit | None) -> bool:
    """A body at a node in the actor's subtree, or at a unit the actor's role is granted on."""
    if can_add(actor, Body, path=territory.path):
        return True
    policy = policy_for(Body)
    return party_unit is not None and any(
        grant.unit_id == party_unit.pk and grant.role in policy.change for grant in grants(actor)
    )


BODY_FIELDS = ("name_ar", "name_fr", "founded_on", "quorum", "proxies_allowed")


@transaction.atomic
def body_update(*, actor, body: Body, **fields) -> Body:
    """Change a body's names, founding date or rules (quorum, proxies) where the actor may."""
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"unknown body fields: {sorted(unknown)}")
    if actor is not None and not can(actor, CHANGE, body):
        raise ValidationError(_("You cannot change this body."), code=ErrorCode.FORBIDDEN)
    for name, value in fields.items():
        setattr(body, name, " ".join(value.split()) if name.startswith("name_") else value)
    body.full_clean()
    body.save(update_fields=[*fields])
    return body

"""Reads shared by every page: what the current user's scope is."""

from dataclasses import dataclass, field

from abwab.accounts.models import RoleAssignment
from abwab.core.scope import can_add, visible_to
from abwab.territory.models import Office, Territory


@dataclass
class ScopeEntry:
    assignment: RoleAssignment
    node: Territory | None
    office: Office | None
    children: list[Territory] = field(default_factory=list)
    units: list[Territory] = field(default_factory=list)


def scope_summary(*, actor) -> list[ScopeEntry]:
    """Each role the actor holds today, with the node it covers and that node's visible children."""
    entries = []
    assignments = (
        RoleAssignment.objects.current()
        .filter(user=actor)
        .select_related("territory", "party_unit", "office__territory")
        .order_by("role")
    )
    for assignment in assignments:
        if assignment.office_id:
            entries.append(ScopeEntry(assignment, assignment.office.territory, assignment.office))
            continue
        if assignment.party_unit_id:
            units = list(visible_to(actor, assignment.party_unit.territories.all()))
            entries.append(ScopeEntry(assignment, None, None, units=units))
            continue
        node = assignment.territory
        children = list(
            visible_to(actor, Territory.objects.filter(parent=node)).order_by("name_fr")
        )
        entries.append(ScopeEntry(assignment, node, None, children=children))
    return entries


def open_events(*, actor, limit: int = 20) -> list:
    """Open-doors events open now that the actor may welcome visitors at (the volunteer's door)."""
    from abwab.campaigns.models import CheckIn, Event, EventStatus

    events = visible_to(
        actor, Event.objects.filter(status=EventStatus.OPEN).select_related("office__territory")
    )
    return [
        e
        for e in events[:limit]
        if can_add(actor, CheckIn, path=e.office.territory.path, office_id=e.office_id)
    ]

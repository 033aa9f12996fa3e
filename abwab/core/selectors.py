"""Reads shared by every page: what the current user's scope is."""

from dataclasses import dataclass, field

from abwab.accounts.models import RoleAssignment
from abwab.core.scope import visible_to
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


def audit_entries(
    *,
    actor,
    who: str = "",
    action: str = "",
    page: str = "",
    since=None,
    until=None,
):
    """The audit lines of the actor's subtree, newest first, filtered: `action` is a verb (`read`
    matches `read` and `office.read`, not `read_list`); `since`/`until` are days, both included,
    in the site's time zone."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from abwab.core.models import AuditEntry

    entries = visible_to(actor, AuditEntry.objects.all())
    if who:
        entries = entries.filter(actor_label__icontains=who)
    if action:
        entries = entries.filter(Q(action=action) | Q(action__endswith=f".{action}"))
    if page:
        entries = entries.filter(path__icontains=page)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.datetime.combine(since, datetime.time(), zone))
    if until:
        next_day = until + datetime.timedelta(days=1)
        entries = entries.filter(at__lt=datetime.datetime.combine(next_day, datetime.time(), zone))
    return entries.select_related("territory")

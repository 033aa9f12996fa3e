"""Reads of the campaigns app: readiness, progress against targets, visitors; all through the gate.

Every figure of a territory counts what lies in its subtree, so a region's numbers are exactly the
sum of its provinces' (the same selectors feed the screens, the rollups and the exports). Figures
are aggregates: the gate is the territory itself (a media officer sees the counts of its region,
never the names behind them).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from abwab.campaigns.models import Campaign, CheckIn, Event, EventStatus, ReadinessItem, Target
from abwab.campaigns.tallies import target_counts
from abwab.core.scope import VIEW, can, can_add, visible_to
from abwab.territory.models import Territory


def readiness_percent(items) -> int:
    """Share of what is needed that has been delivered (capped per item), in whole percent."""
    needed = sum(item.needed for item in items)
    delivered = sum(min(item.delivered, item.needed) for item in items)
    return 100 if needed == 0 else int(100 * delivered / needed)


@dataclass(frozen=True)
class RosterLine:
    """One shift of an event's roster; `volunteer` is None for whoever may not read that person's
    name (a media officer sees that the door is staffed, not by whom)."""

    day: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    volunteer: object | None


def event_roster(*, actor, event: Event) -> list[RosterLine]:
    """The event's shifts, each volunteer named only if the gate lets the actor see that person."""
    from abwab.people.models import Person

    shifts = list(event.shifts.all())
    people = visible_to(actor, Person.objects.filter(pk__in={s.volunteer_id for s in shifts}))
    named = {person.pk: person for person in people}
    return [RosterLine(s.day, s.starts_at, s.ends_at, named.get(s.volunteer_id)) for s in shifts]


@dataclass
class Progress:
    territory: Territory
    target: Target | None
    new_members: int
    women: int
    under35: int
    professionals: int
    visitors: int
    events: int
    readiness: int
    late_events: int

    def percent_of(self, value: int, goal: int) -> int:
        return int(100 * value / goal) if goal else 0

    @property
    def members_percent(self) -> int:
        return self.percent_of(self.new_members, self.target.new_members if self.target else 0)

    @property
    def women_percent(self) -> int:
        return self.percent_of(self.women, self.new_members)

    @property
    def under35_percent(self) -> int:
        return self.percent_of(self.under35, self.new_members)


def campaign_progress(
    *,
    actor,
    campaign: Campaign,
    territory: Territory,
    today: datetime.date | None = None,
    checked: bool = False,
) -> Progress:
    """Where a territory stands in a campaign: members signed up during it, by kind, and its offices
    (`checked` when the caller has already passed the gate for a place holding this node)."""
    if not checked and not can(actor, VIEW, territory):
        raise PermissionDenied
    today = today or timezone.localdate()
    # New members who are still members, from the counts kept per node and joining day
    # (people.JoinTally): a few thousand small rows at the nation instead of every membership.
    counts = target_counts(territory, campaign.starts_on, campaign.ends_on)
    events = list(
        Event.objects.filter(campaign=campaign, office__territory__path__startswith=territory.path)
    )
    items = list(ReadinessItem.objects.filter(event__in=events))
    by_event: dict[int, list] = {}
    for item in items:
        by_event.setdefault(item.event_id, []).append(item)
    soon = today + datetime.timedelta(days=campaign.lead_days)
    late = sum(
        1
        for e in events
        if e.starts_on <= soon
        and e.status == "planned"
        and readiness_percent(by_event.get(e.pk, [])) < 100
    )
    visitors = CheckIn.objects.filter(event__in=events).count()
    target = Target.objects.filter(campaign=campaign, territory=territory, party_unit=None).first()
    return Progress(
        territory,
        target,
        counts["total"],
        counts["women"],
        counts["under35"],
        counts["professionals"],
        visitors,
        len(events),
        readiness_percent(items),
        late,
    )


def campaign_drilldown(*, actor, campaign: Campaign, territory: Territory) -> list[Progress]:
    """The progress of each visible child of a territory."""
    children = visible_to(
        actor, territory.children.exclude(kind="prefecture_of_arrondissements")
    ).order_by("name_fr")
    return [
        campaign_progress(actor=actor, campaign=campaign, territory=child) for child in children
    ]


def visitors_per_hour(*, actor, event: Event) -> list[tuple[datetime.datetime, int]]:
    """Check-ins of an event counted per hour, for the desk and the reports."""
    checkins = visible_to(actor, CheckIn.objects.filter(event=event))
    rows = (
        checkins.annotate(hour=TruncHour("at"))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
    )
    return [(row["hour"], row["n"]) for row in rows]


def readiness_by_event(*, actor, campaign: Campaign, territory: Territory):
    """Each visible event under a territory with its readiness percent, least ready first."""
    events = (
        visible_to(
            actor,
            Event.objects.filter(
                campaign=campaign, office__territory__path__startswith=territory.path
            ),
        )
        .select_related("office__territory")
        .prefetch_related("items")
    )
    rows = [(event, readiness_percent(event.items.all())) for event in events]
    return sorted(rows, key=lambda row: (row[1], row[0].starts_on))


@dataclass
class SlotRow:
    """One place below a level in a campaign: what it was given, whether it has split it further,
    whether its secretariat acknowledged the campaign, and its progress."""

    slot: object
    target: Target | None
    split: bool
    ack: object | None
    progress: Progress | None


def _slot_progress(*, actor, campaign: Campaign, slot, today=None) -> Progress:
    """A slot's figures: the sum over its nodes, less what belongs to the units carved out of it."""
    parts = [
        campaign_progress(actor=None, campaign=campaign, territory=n, today=today, checked=True)
        for n in slot.nodes
    ]
    minus = [
        campaign_progress(actor=None, campaign=campaign, territory=n, today=today, checked=True)
        for n in slot.carved
    ]
    names = (
        "new_members",
        "women",
        "under35",
        "professionals",
        "visitors",
        "events",
        "late_events",
    )
    totals = {
        name: sum(getattr(p, name) for p in parts) - sum(getattr(p, name) for p in minus)
        for name in names
    }
    readiness = parts[0].readiness if len(parts) == 1 and not minus else None
    if readiness is None:
        items = ReadinessItem.objects.filter(event__campaign=campaign)
        query = Q()
        for node in slot.nodes:
            query |= Q(event__office__territory__path__startswith=node.path)
        for node in slot.carved:
            items = items.exclude(event__office__territory__path__startswith=node.path)
        readiness = readiness_percent(list(items.filter(query)))
    from abwab.campaigns.targets import target_of

    return Progress(
        slot.territory,
        target_of(campaign, slot.place),
        totals["new_members"],
        totals["women"],
        totals["under35"],
        totals["professionals"],
        totals["visitors"],
        totals["events"],
        readiness,
        totals["late_events"],
    )


def campaign_slots(*, actor, campaign: Campaign, territory=None, party_unit=None) -> list[SlotRow]:
    """Every place a level splits over, with its target, acknowledgement and progress: what the
    children promised against what the level was given, none left out."""
    from abwab.campaigns.models import CampaignAcknowledgement
    from abwab.campaigns.targets import split_slots, target_of

    if territory is not None and not can(actor, VIEW, territory):
        raise PermissionDenied
    if party_unit is not None:
        from abwab.territory.models import PartyUnit

        if not visible_to(actor, PartyUnit.objects.filter(pk=party_unit.pk)).exists():
            raise PermissionDenied
    slots = split_slots(territory=territory, unit=party_unit)
    acks = {
        (ack.territory_id, ack.party_unit_id): ack
        for ack in visible_to(
            actor, CampaignAcknowledgement.objects.filter(campaign=campaign)
        ).select_related("by")
    }
    rows = []
    for slot in slots:
        target = target_of(campaign, slot.place)
        rows.append(
            SlotRow(
                slot,
                target,
                bool(target and target.children.exists()),
                acks.get((slot.territory.pk, slot.unit.pk if slot.unit else None)),
                _slot_progress(actor=actor, campaign=campaign, slot=slot),
            )
        )
    return rows


def late_items(*, actor, campaign: Campaign, territory: Territory, today=None):
    """Readiness items still short of what is needed when their event is `lead_days` away or
    nearer (flagged to the level above the office), the soonest event first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=campaign.lead_days)
    items = visible_to(
        actor,
        ReadinessItem.objects.filter(
            event__campaign=campaign,
            event__office__territory__path__startswith=territory.path,
            event__starts_on__lte=horizon,
            event__status__in=("planned", "ready"),
        ),
    ).select_related("event__office__territory")
    return sorted(
        (item for item in items if item.delivered < item.needed),
        key=lambda item: (item.event.starts_on, item.event.office.territory.path, item.kind),
    )


def place_progress(*, actor, campaign: Campaign, place, today=None) -> Progress:
    """Progress of a territory node, or of a party unit (the sum over its nodes)."""
    from abwab.campaigns.targets import Slot
    from abwab.territory.models import PartyUnit

    if isinstance(place, PartyUnit):
        if not visible_to(actor, PartyUnit.objects.filter(pk=place.pk)).exists():
            raise PermissionDenied
        slot = Slot(territory=place.anchor, unit=place, nodes=list(place.territories.all()))
        return _slot_progress(actor=actor, campaign=campaign, slot=slot, today=today)
    return campaign_progress(actor=actor, campaign=campaign, territory=place, today=today)


def open_events(*, actor, limit: int = 20) -> list:
    """Open-doors events open now that the actor may welcome visitors at (the volunteer's door)."""
    events = visible_to(
        actor, Event.objects.filter(status=EventStatus.OPEN).select_related("office__territory")
    )
    return [
        e
        for e in events[:limit]
        if can_add(actor, CheckIn, path=e.office.territory.path, office_id=e.office_id)
    ]


def home_open_events(*, actor) -> dict | None:
    """The home page's panel of the door desks open now (registered with abwab.core.home)."""
    events = open_events(actor=actor)
    return {"events": events} if events else None

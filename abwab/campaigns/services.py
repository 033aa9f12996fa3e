"""Writes to the campaigns app: campaigns, office events and their status, readiness."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from abwab.campaigns.models import (
    Campaign,
    CampaignStatus,
    Event,
    EventStatus,
    EventTransition,
    ItemKind,
    ReadinessItem,
)
from abwab.core.scope import require_change
from abwab.territory.models import Body, Level, Office, Territory

NEXT_STATUS = {
    EventStatus.PLANNED: {EventStatus.READY},
    EventStatus.READY: {EventStatus.PLANNED, EventStatus.OPEN},
    EventStatus.OPEN: {EventStatus.CLOSED},
    EventStatus.CLOSED: {EventStatus.OPEN, EventStatus.REPORTED},
    EventStatus.REPORTED: set(),
}
DEFAULT_NEEDS = {
    ItemKind.PROGRAMME: 200,
    ItemKind.GOVERNMENT_RECORD: 100,
    ItemKind.PARLIAMENTARY_RECORD: 100,
    ItemKind.COUNCIL_RECORD: 100,
    ItemKind.MEMBERSHIP_FORMS: 300,
    ItemKind.BANNERS: 2,
    ItemKind.TABLES: 3,
    ItemKind.CHAIRS: 12,
    ItemKind.SCREEN: 1,
    ItemKind.TABLETS: 2,
    ItemKind.INTERNET: 1,
}


@transaction.atomic
def campaign_create(
    *,
    actor,
    name_ar: str,
    name_fr: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    memo_ar: str,
    memo_fr: str = "",
    territory: Territory | None = None,
) -> Campaign:
    """A campaign run by a level (the nation by default), in draft until launched."""
    territory = territory or Territory.objects.get(level=Level.NATION)
    campaign = Campaign(
        name_ar=name_ar,
        name_fr=name_fr,
        starts_on=starts_on,
        ends_on=ends_on,
        memo_ar=memo_ar,
        memo_fr=memo_fr,
        territory=territory,
        created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    require_change(
        actor, campaign, _("Only a national administrator launches a national campaign.")
    )
    return campaign


@transaction.atomic
def campaign_set_status(*, actor, campaign: Campaign, status: str) -> Campaign:
    """Launch or close a campaign."""
    require_change(actor, campaign, _("Only the campaign's administrators change its status."))
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def event_plan(
    *,
    actor,
    campaign: Campaign,
    office: Office,
    starts_on: datetime.date,
    ends_on: datetime.date,
    opens_at: datetime.time,
    closes_at: datetime.time,
    supervising_body: Body | None = None,
) -> Event:
    """Plan an office's open days, with the default checklist of literature and logistics."""
    require_change(actor, office, _("You cannot plan an event at this office."))
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        raise ValidationError(
            _("The event's days must fall within the campaign's dates."), code="outside_campaign"
        )
    if closes_at <= opens_at:
        raise ValidationError(_("The office must close after it opens."), code="hours")
    event = Event(
        campaign=campaign,
        office=office,
        starts_on=starts_on,
        ends_on=ends_on,
        opens_at=opens_at,
        closes_at=closes_at,
        supervising_body=supervising_body,
    )
    event.full_clean()
    event.save()
    ReadinessItem.objects.bulk_create(
        ReadinessItem(event=event, kind=kind, needed=needed)
        for kind, needed in DEFAULT_NEEDS.items()
    )
    return event


@transaction.atomic
def event_transition(*, actor, event: Event, to_status: str) -> Event:
    """Move an event along planned → ready → open → closed → reported, recording who and when."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_change(actor, event, _("You cannot change this event."))
    if to_status not in NEXT_STATUS[event.status]:
        raise ValidationError(
            _("An event cannot go from %(from)s to %(to)s.")
            % {"from": EventStatus(event.status).label, "to": EventStatus(to_status).label},
            code="invalid_transition",
        )
    if to_status == EventStatus.READY:
        missing = [
            item.get_kind_display() for item in event.items.all() if item.delivered < item.needed
        ]
        if missing:
            raise ValidationError(
                _("Not ready: still missing %(items)s.")
                % {"items": ", ".join(str(m) for m in missing)},
                code="not_ready",
            )
    if to_status == EventStatus.OPEN and event.campaign.status != CampaignStatus.LAUNCHED:
        raise ValidationError(
            _("The campaign has not been launched."), code="campaign_not_launched"
        )
    EventTransition.objects.create(
        event=event, from_status=event.status, to_status=to_status, by=actor
    )
    event.status = to_status
    event.save(update_fields=["status"])
    return event


@transaction.atomic
def readiness_update(
    *,
    actor,
    item: ReadinessItem,
    needed: int | None = None,
    allocated: int | None = None,
    delivered: int | None = None,
) -> ReadinessItem:
    """Record what an event needs, was allocated and received of one item."""
    require_change(actor, item, _("You cannot change this event's readiness."))
    for field, value in (("needed", needed), ("allocated", allocated), ("delivered", delivered)):
        if value is not None:
            setattr(item, field, value)
    if item.delivered > item.allocated:
        raise ValidationError(
            _("More was delivered than allocated."), code="delivered_gt_allocated"
        )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def shift_add(
    *,
    actor,
    event: Event,
    volunteer,
    day: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
):
    """Put a volunteer on the event's roster for one shift."""
    from abwab.campaigns.models import Shift

    require_change(actor, event, _("You cannot change this event."))
    if not event.starts_on <= day <= event.ends_on:
        raise ValidationError(
            _("The shift must fall on one of the event's days."), code="outside_event"
        )
    if ends_at <= starts_at:
        raise ValidationError(_("A shift must end after it starts."), code="hours")
    shift = Shift(event=event, volunteer=volunteer, day=day, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    shift.save()
    return shift

"""Writes to the campaigns app: campaigns, office events and their status, readiness."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.campaigns.models import (
    Campaign,
    CampaignAcknowledgement,
    CampaignItem,
    CampaignStatus,
    Event,
    EventStatus,
    EventTransition,
    ItemKind,
    LocalGoal,
    ReadinessItem,
)
from abwab.core.bidi import join_list
from abwab.core.errors import ErrorCode
from abwab.core.roles import SECRETARIES
from abwab.core.scope import CHANGE, can_add, grants, require_change, visible_to
from abwab.core.uploads import check_upload
from abwab.territory.models import Body, Level, Office, PartyUnit, Territory

MEMO_KINDS = ("pdf", "docx", "odt")

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
    goals_ar: str = "",
    goals_fr: str = "",
    memo_file=None,
    lead_days: int = 3,
    public_intro_ar: str = "",
    public_intro_fr: str = "",
) -> Campaign:
    """A campaign run by a level (the nation by default), in draft until launched; its memo as
    text and, optionally, as the signed document (checked for what it really is)."""
    territory = territory or Territory.objects.get(level=Level.NATION)
    campaign = Campaign(
        name_ar=name_ar,
        name_fr=name_fr,
        starts_on=starts_on,
        ends_on=ends_on,
        memo_ar=memo_ar,
        memo_fr=memo_fr,
        goals_ar=goals_ar,
        goals_fr=goals_fr,
        lead_days=lead_days,
        public_intro_ar=public_intro_ar,
        public_intro_fr=public_intro_fr,
        territory=territory,
        created_by=actor,
    )
    campaign.full_clean(exclude=["memo_file"])
    if not can_add(actor, Campaign, path=territory.path) or territory.level != Level.NATION:
        raise ValidationError(
            _("Only a national administrator launches a national campaign."),
            code=ErrorCode.FORBIDDEN,
        )
    if memo_file is not None:
        check_upload(memo_file, allowed=MEMO_KINDS)
    campaign.save()
    if memo_file is not None:
        campaign.memo_file.save(memo_file.name, memo_file, save=True)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, memo_file=None, **fields) -> Campaign:
    """Change a campaign's names, dates, memo and goals, until it is closed."""
    require_change(actor, campaign, _("Only the campaign's administrators change it."))
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot change."), code=ErrorCode.CLOSED)
    editable = ("name_ar", "name_fr", "starts_on", "ends_on", "memo_ar", "memo_fr")
    public = ("public_intro_ar", "public_intro_fr")
    for name in (*editable, "goals_ar", "goals_fr", "lead_days", *public):
        if name in fields and fields[name] is not None:
            setattr(campaign, name, fields[name])
    # Who created it is not edited here (and a campaign loaded by a command has nobody).
    campaign.full_clean(exclude=["memo_file", "created_by"])
    if memo_file is not None:
        check_upload(memo_file, allowed=MEMO_KINDS)
        campaign.memo_file.save(memo_file.name, memo_file, save=False)
    campaign.save()
    return campaign


NEXT_CAMPAIGN_STATUS = {
    CampaignStatus.DRAFT: {CampaignStatus.LAUNCHED},
    CampaignStatus.LAUNCHED: {CampaignStatus.CLOSED},
    CampaignStatus.CLOSED: set(),
}


@transaction.atomic
def campaign_set_status(*, actor, campaign: Campaign, status: str) -> Campaign:
    """Launch a draft campaign (every secretariat below then sees it) or close a launched one."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_change(actor, campaign, _("Only the campaign's administrators change its status."))
    if status not in NEXT_CAMPAIGN_STATUS[campaign.status]:
        raise ValidationError(
            _("A campaign cannot go from %(from)s to %(to)s.")
            % {"from": CampaignStatus(campaign.status).label, "to": CampaignStatus(status).label},
            code=ErrorCode.INVALID_TRANSITION,
        )
    campaign.status = status
    if status == CampaignStatus.LAUNCHED:
        campaign.launched_at = timezone.now()
    campaign.save(update_fields=["status", "launched_at"])
    return campaign


def secretariat_places(actor) -> list[Territory | PartyUnit]:
    """The nodes and party units where the actor is a secretary: where they acknowledge, add goals."""
    places: list[Territory | PartyUnit] = []
    for grant in grants(actor):
        if grant.role not in SECRETARIES:
            continue
        if grant.unit_id:
            places.append(PartyUnit.objects.get(pk=grant.unit_id))
        else:
            places.extend(Territory.objects.filter(path__in=grant.paths))
    return places


def _place_lookup(actor, place: Territory | PartyUnit) -> dict:
    """Territory and unit of a row written at `place`, once the actor is its secretary."""
    if place not in secretariat_places(actor):
        raise ValidationError(_("You are not a secretary there."), code=ErrorCode.FORBIDDEN)
    if isinstance(place, PartyUnit):
        return {"territory": place.anchor, "party_unit": place}
    return {"territory": place, "party_unit": None}


@transaction.atomic
def campaign_acknowledge(
    *, actor, campaign: Campaign, place: Territory | PartyUnit
) -> CampaignAcknowledgement:
    """A secretariat says it has received the launched campaign and its memo (once; again is a no-op)."""
    if campaign.status != CampaignStatus.LAUNCHED:
        raise ValidationError(_("The campaign has not been launched."), code=ErrorCode.NOT_LAUNCHED)
    if not visible_to(actor, Campaign.objects.filter(pk=campaign.pk)).exists():
        raise ValidationError(_("You cannot see this campaign."), code=ErrorCode.FORBIDDEN)
    lookup = _place_lookup(actor, place)
    ack, _created = CampaignAcknowledgement.objects.get_or_create(
        campaign=campaign, **lookup, defaults={"by": actor}
    )
    return ack


@transaction.atomic
def local_goal_add(
    *,
    actor,
    campaign: Campaign,
    place: Territory | PartyUnit,
    text_ar: str,
    text_fr: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> LocalGoal:
    """A region or province adds its own goal and dates inside a launched campaign."""
    lookup = _place_lookup(actor, place)
    if isinstance(place, Territory) and place.level not in (Level.REGION, Level.PROVINCE):
        raise ValidationError(
            _("Regions and provinces add their own goals."), code=ErrorCode.NOT_REGION_OR_PROVINCE
        )
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot change."), code=ErrorCode.CLOSED)
    for day in (starts_on, ends_on):
        if day is not None and not campaign.starts_on <= day <= campaign.ends_on:
            raise ValidationError(
                _("The dates must fall within the campaign's dates."),
                code=ErrorCode.OUTSIDE_CAMPAIGN,
            )
    goal = LocalGoal(
        campaign=campaign,
        text_ar=text_ar,
        text_fr=text_fr,
        starts_on=starts_on,
        ends_on=ends_on,
        by=actor,
        **lookup,
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def campaign_item_set(
    *, actor, campaign: Campaign, kind: str, needed: int, label: str = "", supplier: str = ""
) -> CampaignItem:
    """Put an item on the memo's readiness list (or change how many each event needs)."""
    require_change(actor, campaign, _("Only the campaign's administrators change its list."))
    if kind == ItemKind.OTHER and not label.strip():
        raise ValidationError(_("Name the item."), code=ErrorCode.LABEL_REQUIRED)
    if kind != ItemKind.OTHER:
        label = ""
    item, _created = CampaignItem.objects.update_or_create(
        campaign=campaign,
        kind=kind,
        label=label.strip(),
        defaults={"needed": needed, "supplier": supplier},
    )
    item.full_clean()
    return item


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
    supervisor=None,
    items: list[dict] | None = None,
    public: bool = True,
    address_on_request: bool = False,
) -> Event:
    """Plan an office's open days, with the campaign's readiness list (the default checklist of
    literature and logistics when the memo gives none), or the given `items`."""
    require_change(actor, office, _("You cannot plan an event at this office."))
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot change."), code=ErrorCode.CLOSED)
    if (
        supervisor is not None
        and not visible_to(actor, type(supervisor).objects.filter(pk=supervisor.pk)).exists()
    ):
        raise ValidationError(_("Unknown supervisor."), code=ErrorCode.FORBIDDEN)
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        raise ValidationError(
            _("The event's days must fall within the campaign's dates."),
            code=ErrorCode.OUTSIDE_CAMPAIGN,
        )
    if closes_at <= opens_at:
        raise ValidationError(_("The office must close after it opens."), code=ErrorCode.HOURS)
    event = Event(
        campaign=campaign,
        office=office,
        starts_on=starts_on,
        ends_on=ends_on,
        opens_at=opens_at,
        closes_at=closes_at,
        supervising_body=supervising_body,
        supervisor=supervisor,
        public=public,
        address_on_request=address_on_request,
    )
    event.full_clean()
    event.save()
    if items is None:
        items = [
            {"kind": i.kind, "label": i.label, "needed": i.needed, "supplier": i.supplier}
            for i in campaign.items.all()
        ] or [{"kind": kind, "needed": needed} for kind, needed in DEFAULT_NEEDS.items()]
    ReadinessItem.objects.bulk_create(ReadinessItem(event=event, **item) for item in items)
    return event


@transaction.atomic
def event_public_set(*, actor, event: Event, public: bool, address_on_request: bool) -> Event:
    """Keep an event on or off the public pages, and its address shown or given on pre-registration."""
    require_change(actor, event, _("You cannot change this event."))
    event.public = public
    event.address_on_request = address_on_request
    event.save(update_fields=["public", "address_on_request"])
    return event


@transaction.atomic
def event_copy_to_province(*, actor, event: Event, province: Territory) -> list[Event]:
    """Plan the same days, hours, supervisor and readiness list at every office of a province
    the actor may plan at and that has no event in the campaign yet."""
    require_change(actor, event, _("You cannot change this event."))
    if not can_add(actor, Office, path=province.path):
        raise ValidationError(_("You cannot plan events there."), code=ErrorCode.FORBIDDEN)
    taken = Event.objects.filter(campaign=event.campaign).values("office")
    offices = (
        visible_to(actor, Office.objects.filter(territory__path__startswith=province.path), CHANGE)
        .exclude(pk__in=taken)
        .order_by("territory__path", "pk")
    )
    items = [
        {"kind": i.kind, "label": i.label, "needed": i.needed, "supplier": i.supplier}
        for i in event.items.all()
    ]
    return [
        event_plan(
            actor=actor,
            campaign=event.campaign,
            office=office,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            opens_at=event.opens_at,
            closes_at=event.closes_at,
            items=items,
            public=event.public,
        )
        for office in offices
    ]


@transaction.atomic
def readiness_item_add(
    *, actor, event: Event, label: str, needed: int, supplier: str = ""
) -> ReadinessItem:
    """A local addition to an event's readiness list, named by whoever plans it."""
    require_change(actor, event, _("You cannot change this event's readiness."))
    if not label.strip():
        raise ValidationError(_("Name the item."), code=ErrorCode.LABEL_REQUIRED)
    item = ReadinessItem(
        event=event, kind=ItemKind.OTHER, label=label.strip(), needed=needed, supplier=supplier
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def event_transition(*, actor, event: Event, to_status: str) -> Event:
    """Move an event along planned → ready → open → closed → reported, recording who and when."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_change(actor, event, _("You cannot change this event."))
    if to_status not in NEXT_STATUS[event.status]:
        raise ValidationError(
            _("An event cannot go from %(from)s to %(to)s.")
            % {"from": EventStatus(event.status).label, "to": EventStatus(to_status).label},
            code=ErrorCode.INVALID_TRANSITION,
        )
    if to_status == EventStatus.READY:
        missing = [
            item.get_kind_display() for item in event.items.all() if item.delivered < item.needed
        ]
        if missing:
            raise ValidationError(
                _("Not ready: still missing %(items)s.")
                % {"items": join_list(str(m) for m in missing)},
                code=ErrorCode.NOT_READY,
            )
    if to_status == EventStatus.OPEN and event.campaign.status != CampaignStatus.LAUNCHED:
        raise ValidationError(
            _("The campaign has not been launched."), code=ErrorCode.CAMPAIGN_NOT_LAUNCHED
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
    supplier: str | None = None,
) -> ReadinessItem:
    """Record what an event needs, was allocated and received of one item, and who supplies it."""
    require_change(actor, item, _("You cannot change this event's readiness."))
    for field, value in (
        ("needed", needed),
        ("allocated", allocated),
        ("delivered", delivered),
        ("supplier", supplier),
    ):
        if value is not None:
            setattr(item, field, value)
    if item.delivered > item.allocated:
        raise ValidationError(
            _("More was delivered than allocated."), code=ErrorCode.DELIVERED_GT_ALLOCATED
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
            _("The shift must fall on one of the event's days."), code=ErrorCode.OUTSIDE_EVENT
        )
    if ends_at <= starts_at:
        raise ValidationError(_("A shift must end after it starts."), code=ErrorCode.HOURS)
    shift = Shift(event=event, volunteer=volunteer, day=day, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    shift.save()
    return shift

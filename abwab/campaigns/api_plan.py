"""API of running a campaign: create, launch and close it, acknowledge it, split targets, plan and
copy events, readiness items. The same services as the screens; every id goes through the gate."""

import datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from abwab.api.errors import responses
from abwab.api.schemas import Input
from abwab.api.types import Day
from abwab.campaigns.models import Campaign, CampaignStatus, Event, ReadinessItem, Target
from abwab.campaigns.services import (
    campaign_acknowledge,
    campaign_create,
    campaign_set_status,
    event_copy_to_province,
    event_plan,
    readiness_item_add,
    readiness_update,
    secretariat_places,
)
from abwab.campaigns.targets import SPLIT_FIELDS, target_of, target_set_top
from abwab.campaigns.targets import targets_split as split
from abwab.core.audit import audit
from abwab.core.scope import CHANGE, can_add, get_visible_or_404, visible_to
from abwab.people.models import Person
from abwab.territory.models import Level, Office, PartyUnit, Territory

router = Router(tags=["campaigns"])


class Groups(Input):
    new_members: int = 0
    women: int = 0
    youth: int = 0
    professionals: int = 0
    visitors: int = 0


class CampaignIn(Input):
    name_ar: str
    name_fr: str
    starts_on: Day
    ends_on: Day
    memo_ar: str
    memo_fr: str = ""
    goals_ar: str = ""
    goals_fr: str = ""
    lead_days: int = 3
    targets: Groups


class CampaignOut(Schema):
    id: int
    name_ar: str
    name_fr: str
    status: str
    starts_on: Day
    ends_on: Day


class StatusIn(Input):
    status: str


class PlaceIn(Input):
    place: str  # an HCP code, or "unit:<code>" for a party unit


class AckOut(Schema):
    id: int
    territory_code: str
    party_unit_code: str | None


class SplitIn(Input):
    place: str
    method: str = "population"
    allocations: dict[str, Groups] | None = None


class TargetOut(Schema):
    place: str
    new_members: int
    women: int
    youth: int
    professionals: int
    visitors: int


class EventIn(Input):
    office_id: int
    starts_on: Day
    ends_on: Day
    opens_at: datetime.time
    closes_at: datetime.time
    supervisor_id: int | None = None


class PlannedOut(Schema):
    id: int
    office_id: int
    status: str


class CopyIn(Input):
    province_code: str


class ItemIn(Input):
    label: str
    needed: int
    supplier: str = ""


class ItemPatch(Input):
    item_id: int
    needed: int | None = None
    allocated: int | None = None
    delivered: int | None = None
    supplier: str | None = None


class ItemOut(Schema):
    id: int
    event_id: int
    kind: str
    label: str
    needed: int
    allocated: int
    delivered: int
    supplier: str


def _campaign_out(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk,
        "name_ar": campaign.name_ar,
        "name_fr": campaign.name_fr,
        "status": campaign.status,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
    }


def _target_out(target: Target) -> dict:
    place = f"unit:{target.party_unit.code}" if target.party_unit_id else target.territory.code
    return {"place": place, **{name: getattr(target, name) for name in SPLIT_FIELDS}}


def _place(request, key: str):
    """A territory node or party unit in the caller's scope, named by code or "unit:<code>"."""
    if key.startswith("unit:"):
        return get_visible_or_404(request.user, PartyUnit, code=key.removeprefix("unit:"))
    return get_visible_or_404(request.user, Territory, code=key)


@router.post("", response=responses({201: CampaignOut}))
def create_campaign(request, payload: CampaignIn):
    """A national campaign with its memo (text), goals and targets for every group, in draft."""
    nation = Territory.objects.get(level=Level.NATION)
    if not can_add(request.user, Campaign, path=nation.path):
        raise Http404
    data = payload.dict()
    targets = data.pop("targets")
    campaign = campaign_create(actor=request.user, **data)
    target_set_top(actor=request.user, campaign=campaign, **targets)
    audit(request, "campaign.create", campaign)
    return Status(201, _campaign_out(campaign))


@router.post("/{campaign_id}/status", response=responses({200: CampaignOut}))
def set_campaign_status(request, campaign_id: int, payload: StatusIn):
    """Launch or close the campaign (its administrators only)."""
    campaign = get_visible_or_404(request.user, Campaign, CHANGE, pk=campaign_id)
    if payload.status not in CampaignStatus.values:
        raise Http404
    campaign = campaign_set_status(actor=request.user, campaign=campaign, status=payload.status)
    audit(request, f"campaign.{payload.status}", campaign)
    return _campaign_out(campaign)


@router.post("/{campaign_id}/acknowledgements", response=responses({201: AckOut}))
def acknowledge_campaign(request, campaign_id: int, payload: PlaceIn):
    """A secretariat acknowledges the launched campaign, at one of its own places."""
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    place = _place(request, payload.place)
    if place not in secretariat_places(request.user):
        raise Http404
    ack = campaign_acknowledge(actor=request.user, campaign=campaign, place=place)
    audit(request, "campaign.acknowledge", ack)
    return Status(
        201,
        {
            "id": ack.pk,
            "territory_code": ack.territory.code,
            "party_unit_code": ack.party_unit.code if ack.party_unit_id else None,
        },
    )


@router.post("/{campaign_id}/splits", response=responses({200: list[TargetOut]}))
def split_target(request, campaign_id: int, payload: SplitIn):
    """Split a place's target over every place below it (by hand or in proportion)."""
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    place = _place(request, payload.place)
    target = target_of(campaign, place)
    if target is None or not visible_to(request.user, Target.objects.filter(pk=target.pk), CHANGE):
        raise Http404
    unit = place if isinstance(place, PartyUnit) else None
    allocations = (
        {key: numbers.dict() for key, numbers in payload.allocations.items()}
        if payload.allocations is not None
        else None
    )
    rows = split(
        actor=request.user,
        campaign=campaign,
        territory=None if unit else place,
        party_unit=unit,
        allocations=allocations,
        method=payload.method,
    )
    audit(request, "target.split", target)
    return [_target_out(row) for row in rows]


@router.post("/{campaign_id}/events", response=responses({201: PlannedOut}))
def plan_event(request, campaign_id: int, payload: EventIn):
    """Plan an office's open days; the readiness list follows the memo's."""
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    office = get_visible_or_404(request.user, Office, CHANGE, pk=payload.office_id)
    supervisor = (
        get_visible_or_404(request.user, Person.objects.live(), pk=payload.supervisor_id)
        if payload.supervisor_id
        else None
    )
    data = payload.dict(exclude={"office_id", "supervisor_id"})
    event = event_plan(
        actor=request.user, campaign=campaign, office=office, supervisor=supervisor, **data
    )
    audit(request, "event.plan", event)
    return Status(201, {"id": event.pk, "office_id": office.pk, "status": event.status})


@router.post("/events/{event_id}/copies", response=responses({201: list[PlannedOut]}))
def copy_event(request, event_id: int, payload: CopyIn):
    """Copy an event's plan to every office of a province without one."""
    event = get_visible_or_404(request.user, Event, CHANGE, pk=event_id)
    province = get_visible_or_404(request.user, Territory, code=payload.province_code)
    created = event_copy_to_province(actor=request.user, event=event, province=province)
    audit(request, "event.copy", event, count=len(created))
    return Status(
        201, [{"id": e.pk, "office_id": e.office_id, "status": e.status} for e in created]
    )


def _item_out(item: ReadinessItem) -> dict:
    return {
        "id": item.pk,
        "event_id": item.event_id,
        "kind": item.kind,
        "label": item.label,
        "needed": item.needed,
        "allocated": item.allocated,
        "delivered": item.delivered,
        "supplier": item.supplier,
    }


@router.get("/events/{event_id}/items", response=responses({200: list[ItemOut]}))
def list_items(request, event_id: int):
    event = get_visible_or_404(request.user, Event, pk=event_id)
    return [_item_out(item) for item in visible_to(request.user, event.items.all())]


@router.post("/events/{event_id}/items", response=responses({201: ItemOut}))
def add_item(request, event_id: int, payload: ItemIn):
    """A local addition to an event's readiness list."""
    event = get_visible_or_404(request.user, Event, CHANGE, pk=event_id)
    item = readiness_item_add(actor=request.user, event=event, **payload.dict())
    audit(request, "event.item", event)
    return Status(201, _item_out(item))


@router.patch("/events/{event_id}/items", response=responses({200: ItemOut}))
def update_item(request, event_id: int, payload: ItemPatch):
    """Record what an event needs, was allocated and received of an item, and who supplies it."""
    data = payload.dict()
    item = get_visible_or_404(
        request.user, ReadinessItem, CHANGE, pk=data.pop("item_id"), event_id=event_id
    )
    item = readiness_update(actor=request.user, item=item, **data)
    audit(request, "event.readiness", item.event)
    return _item_out(item)

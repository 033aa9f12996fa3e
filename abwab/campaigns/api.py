"""API of the campaigns app: events, door check-ins (idempotent by the desk's key), progress."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.api.idempotency import idempotent
from abwab.campaigns.door import checkin_record
from abwab.campaigns.models import Campaign, Event
from abwab.campaigns.selectors import campaign_progress
from abwab.core.scope import get_visible_or_404, visible_to
from abwab.territory.models import Territory

router = Router(tags=["campaigns"])


class EventOut(Schema):
    id: int
    campaign_id: int
    office_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    status: str


class CheckInIn(Schema):
    client_key: str
    name: str
    purpose: str
    territory_code: str | None = None
    phone: str = ""
    age_band: str = ""
    gender: str = ""


class CheckInOut(Schema):
    id: int
    event_id: int
    client_key: str
    created: bool


class ProgressOut(Schema):
    territory_code: str
    target_new_members: int | None
    new_members: int
    women: int
    under35: int
    professionals: int
    visitors: int
    events: int
    readiness: int


@router.get("/events", response=responses({200: list[EventOut]}))
@paginate
def list_events(request, status: str = ""):
    events = Event.objects.all()
    if status:
        events = events.filter(status=status)
    return visible_to(request.user, events)


@router.get("/events/{event_id}", response=responses({200: EventOut}))
def get_event(request, event_id: int):
    return get_visible_or_404(request.user, Event, pk=event_id)


@router.post("/events/{event_id}/checkins", response=responses({201: CheckInOut, 200: CheckInOut}))
def create_checkin(request, event_id: int, payload: CheckInIn):
    event = get_visible_or_404(
        request.user, Event.objects.select_related("office__territory"), pk=event_id
    )

    def write():
        data = payload.dict()
        code = data.pop("territory_code")
        territory = get_visible_or_404(request.user, Territory, code=code) if code else None
        checkin, created = checkin_record(
            actor=request.user, event=event, territory=territory, **data
        )
        return (201 if created else 200), {
            "id": checkin.pk,
            "event_id": event.pk,
            "client_key": checkin.client_key,
            "created": created,
        }

    return idempotent(request, write)


@router.get("/{campaign_id}/progress/{code}", response=responses({200: ProgressOut}))
def get_progress(request, campaign_id: int, code: str):
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    territory = get_visible_or_404(request.user, Territory, code=code)
    p = campaign_progress(actor=request.user, campaign=campaign, territory=territory)
    return {
        "territory_code": territory.code,
        "target_new_members": p.target.new_members if p.target else None,
        "new_members": p.new_members,
        "women": p.women,
        "under35": p.under35,
        "professionals": p.professionals,
        "visitors": p.visitors,
        "events": p.events,
        "readiness": p.readiness,
    }

"""API of the campaigns app: events, door check-ins (idempotent by the desk's key), progress."""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ValidationError as PydanticError

from abwab.api.errors import responses
from abwab.api.idempotency import idempotent
from abwab.api.schemas import Input
from abwab.api.types import Day, Moment
from abwab.campaigns.door import checkin_record, desk_event, desk_territory
from abwab.campaigns.door_entries import (
    SYNC_MAX_ENTRIES,
    PossibleDuplicates,
    SyncResult,
    desk_commune,
    door_signup_entry,
    door_sync,
    review_note,
)
from abwab.campaigns.models import Campaign, CheckIn, Event
from abwab.campaigns.sealing import Unreadable, unseal
from abwab.campaigns.selectors import campaign_progress
from abwab.core.errors import ErrorCode
from abwab.core.scope import get_visible_or_404, visible_to
from abwab.territory.models import Territory

router = Router(tags=["campaigns"])


class EventOut(Schema):
    id: int
    campaign_id: int
    office_id: int
    starts_on: Day
    ends_on: Day
    status: str


class CheckInIn(Input):
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


class VisitIn(Input):
    name: str = ""
    purpose: str = ""
    territory_code: str | None = None
    phone: str = ""
    age_band: str = ""
    gender: str = ""


class NewPersonIn(Input):
    first_name_ar: str = ""
    last_name_ar: str = ""
    first_name_latin: str = ""
    last_name_latin: str = ""
    birth_date: Day | None = None
    cin: str = ""
    phone: str = ""
    email: str = ""
    gender: str = ""
    education: str = ""
    profession: str = ""


class SignupIn(Input):
    client_key: str = Field(min_length=8, max_length=64)
    checkin: VisitIn = VisitIn()
    person: NewPersonIn
    consent_given: bool
    existing_person_id: int | None = None
    on_duplicate: Literal["ask", "review"] = "ask"
    recorded_at: Moment | None = None


class SignupOut(Schema):
    checkin_id: int
    person_id: int
    card_number: str | None
    created: bool
    review_id: int | None
    message: str = ""


class CandidateOut(Schema):
    person_id: int
    score: float
    reasons: list[str]
    label: str
    commune: str


class DuplicatesOut(Schema):
    code: str
    message: str
    candidates: list[CandidateOut]
    # A record outside the caller's scope may match too: nothing of it is said but this.
    elsewhere: bool = False


class EntryIn(Input):
    kind: Literal["checkin", "signup"]
    client_key: str = Field(min_length=8, max_length=64)
    checkin: VisitIn = VisitIn()
    person: NewPersonIn | None = None
    consent_given: bool = False
    recorded_at: Moment | None = None


class SealedIn(Input):
    """An entry the offline desk sealed to the server's key (see campaigns.sealing)."""

    client_key: str = Field(min_length=8, max_length=64)
    kid: str = Field(max_length=32)
    epk: str = Field(max_length=200)
    iv: str = Field(max_length=40)
    ct: str = Field(max_length=20_000)


class SyncIn(Input):
    entries: list[EntryIn] = Field(default=[], max_length=SYNC_MAX_ENTRIES)
    sealed: list[SealedIn] = Field(default=[], max_length=SYNC_MAX_ENTRIES)


class EntryOut(Schema):
    client_key: str
    status: str
    code: str
    message: str
    checkin_id: int | None
    card_number: str | None
    review_id: int | None


class SyncOut(Schema):
    results: list[EntryOut]


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
    event = desk_event(request.user, event_id)

    def write():
        data = payload.dict()
        code = data.pop("territory_code")
        territory = desk_territory(request.user, code) if code else None
        checkin, created = checkin_record(
            actor=request.user, event=event, territory=territory, **data
        )
        return (201 if created else 200), {
            "id": checkin.pk,
            "event_id": event.pk,
            "client_key": checkin.client_key,
            "created": created,
        }

    return idempotent(request, write, model=CheckIn)


def _signup_answer(outcome) -> dict:
    return {
        "checkin_id": outcome.checkin.pk,
        "person_id": outcome.checkin.person_id,
        "card_number": outcome.membership.card_number if outcome.membership else None,
        "created": outcome.created,
        "review_id": outcome.review.pk if outcome.review else None,
        "message": review_note() if outcome.review else "",
    }


def _candidates_answer(found: PossibleDuplicates) -> dict:
    """The matches the volunteer may see (PossibleDuplicates holds only those), and a note if a
    record outside their scope may match too."""
    message = _("This person may already be recorded: choose the record, or confirm a new one.")
    return {
        "code": ErrorCode.POSSIBLE_DUPLICATES,
        "message": f"{message} {review_note()}" if found.elsewhere else message,
        "candidates": [
            {
                "person_id": candidate.person.pk,  # what the volunteer answers with
                "score": candidate.score,
                "reasons": candidate.reason_labels,
                "label": str(candidate.person),
                "commune": candidate.person.territory.name_ar,
            }
            for candidate in found.candidates
        ],
        "elsewhere": found.elsewhere,
    }


@router.post(
    "/events/{event_id}/signups",
    response=responses({201: SignupOut, 200: SignupOut, 409: DuplicatesOut}),
)
def create_signup(request, event_id: int, payload: SignupIn):
    """Check a visitor in and sign them up; the entry's client_key makes a repeat harmless."""
    event = desk_event(request.user, event_id, payload.client_key)
    visit = payload.checkin.dict()
    try:
        outcome = door_signup_entry(
            actor=request.user,
            event=event,
            client_key=payload.client_key,
            checkin=visit,
            person=payload.person.dict(),
            consent_given=payload.consent_given,
            territory=desk_commune(event, visit.get("territory_code")),
            existing_person_id=payload.existing_person_id,
            on_duplicate=payload.on_duplicate,
            at=payload.recorded_at,
        )
    except PossibleDuplicates as found:
        return Status(409, _candidates_answer(found))
    return Status(201 if outcome.created else 200, _signup_answer(outcome))


def _opened(sealed: SealedIn, event: Event) -> dict | SyncResult:
    """The entry inside a sealed one, or the reason it cannot be used."""
    try:
        data = unseal(**sealed.dict())
        if data.pop("event", None) != event.pk:
            raise Unreadable("another event")
        return EntryIn.model_validate(data).dict()
    except (Unreadable, PydanticError):
        return SyncResult(
            client_key=sealed.client_key,
            status="rejected",
            code=ErrorCode.UNREADABLE,
            message=_("This entry could not be read: enter it again."),
        )


@router.post("/events/{event_id}/sync", response=responses({200: SyncOut}))
def sync_entries(request, event_id: int, payload: SyncIn):
    """The offline desk's queue: each entry stored once, refused ones said why, none held back."""
    event = desk_event(request.user, event_id)
    opened = [_opened(sealed, event) for sealed in payload.sealed]
    results = door_sync(
        actor=request.user,
        event=event,
        entries=[entry.dict() for entry in payload.entries]
        + [entry for entry in opened if isinstance(entry, dict)],
    )
    results += [entry for entry in opened if isinstance(entry, SyncResult)]
    return {
        "results": [
            {
                "client_key": r.client_key,
                "status": r.status,
                "code": r.code,
                "message": r.message,
                "checkin_id": r.checkin.pk if r.checkin else None,
                "card_number": r.membership.card_number if r.membership else None,
                "review_id": r.review.pk if r.review else None,
            }
            for r in results
        ]
    }


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


# Running the campaign (create, launch, acknowledge, split, plan, readiness): its own module.
from abwab.campaigns.api_plan import router as plan_router  # noqa: E402

router.add_router("", plan_router)

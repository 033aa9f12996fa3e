"""API for growing the organisation: foundings of local secretariats (plan, founders, record),
programmes of meetings planned in one step, and a territory's calendar. The same services as the
screens; every id in a path or a body passes the scope gate (404 outside), each write audited."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.api.idempotency import idempotent
from abwab.api.schemas import Input
from abwab.api.types import Day, Moment
from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import (
    CHANGE,
    can_add,
    get_visible_or_404,
    territories_where,
    territory_or_404,
    top_territory,
    visible_to,
)
from abwab.meetings import founding as founding_services
from abwab.meetings import programmes as programme_services
from abwab.meetings.founding import OFFICERS
from abwab.meetings.models import Founding, Programme
from abwab.people.models import Person
from abwab.territory.models import Body, Office, Territory

router = Router(tags=["foundings and programmes"])


def _node(request, code: str):
    """The territory asked (404 outside the scope), else the caller's top node (None without)."""
    return territory_or_404(request.user, code) if code else top_territory(request.user)


class FoundingOut(Schema):
    id: int
    commune_code: str
    starts_at: Moment
    status: str
    supervisor_id: int | None
    office_id: int | None
    place: str
    place_fr: str
    founder_ids: list[int]
    body_id: int | None
    meeting_id: int | None
    founded_on: Day | None


def _founding_out(founding: Founding) -> dict:
    return {
        "id": founding.pk,
        "commune_code": founding.commune.code,
        "starts_at": founding.starts_at,
        "status": founding.status,
        "supervisor_id": founding.supervisor_id,
        "office_id": founding.office_id,
        "place": founding.place,
        "place_fr": founding.place_fr,
        "founder_ids": sorted(founding.founders.values_list("pk", flat=True)),
        "body_id": founding.body_id,
        "meeting_id": founding.meeting_id,
        "founded_on": founding.founded_on,
    }


class FoundingIn(Input):
    commune_code: str
    starts_at: Moment
    supervisor_id: int | None = None
    office_id: int | None = None
    place: str = ""
    place_fr: str = ""


class FounderIn(Input):
    person_id: int


class RecordIn(Input):
    founded_on: Day
    # function -> person id, e.g. {"local_secretary": 12, "treasurer": 15}
    officers: dict[str, int]


@router.get("/foundings", response=responses({200: list[FoundingOut]}))
@paginate
def list_foundings(request, territory: str = "", status: str = ""):
    """Foundings of local secretariats under a territory (the caller's top node by default)."""
    node = _node(request, territory)
    if node is None:
        return []
    foundings = Founding.objects.filter(commune__path__startswith=node.path)
    if status:
        foundings = foundings.filter(status=status)
    foundings = visible_to(request.user, foundings.select_related("commune"))
    return [_founding_out(founding) for founding in foundings.order_by("starts_at", "pk")[:500]]


@router.post("/foundings", response=responses({201: FoundingOut}))
def plan_founding(request, payload: FoundingIn):
    commune = get_visible_or_404(request.user, Territory, code=payload.commune_code)
    if not can_add(request.user, Founding, path=commune.path):
        raise Http404
    supervisor = (
        get_visible_or_404(request.user, Person, pk=payload.supervisor_id)
        if payload.supervisor_id
        else None
    )
    office = (
        get_visible_or_404(request.user, Office, pk=payload.office_id)
        if payload.office_id
        else None
    )

    def write():
        founding = founding_services.founding_plan(
            actor=request.user,
            commune=commune,
            starts_at=payload.starts_at,
            supervisor=supervisor,
            office=office,
            place=payload.place,
            place_fr=payload.place_fr,
        )
        audit(request, "founding.plan", founding)
        return 201, FoundingOut(**_founding_out(founding)).model_dump(mode="json")

    return idempotent(request, write, model=Founding)


@router.post("/foundings/{founding_id}/founders", response=responses({200: FoundingOut}))
def add_founder(request, founding_id: int, payload: FounderIn):
    founding = get_visible_or_404(request.user, Founding, CHANGE, pk=founding_id)
    person = get_visible_or_404(request.user, Person.objects.live(), CHANGE, pk=payload.person_id)
    founding_services.founding_add_founder(actor=request.user, founding=founding, person=person)
    audit(request, "founding.add_founder", founding)
    return _founding_out(founding)


@router.post("/foundings/{founding_id}/record", response=responses({200: FoundingOut}))
def record_founding(request, founding_id: int, payload: RecordIn):
    founding = get_visible_or_404(request.user, Founding, CHANGE, pk=founding_id)
    unknown = set(payload.officers) - set(OFFICERS)
    if unknown:
        raise ValidationError(_("Unknown function."), code=ErrorCode.INVALID_FUNCTION)
    officers = {
        function: get_visible_or_404(request.user, founding.founders.all(), CHANGE, pk=person_id)
        for function, person_id in payload.officers.items()
    }
    founding_services.founding_record(
        actor=request.user, founding=founding, founded_on=payload.founded_on, officers=officers
    )
    audit(request, "founding.record", founding)
    founding.refresh_from_db()
    return _founding_out(founding)


class ProgrammeOut(Schema):
    id: int
    name_ar: str
    name_fr: str
    territory_code: str
    body_kind: str
    due_on: Day
    meeting_ids: list[int]
    held: int


def _programme_out(programme: Programme) -> dict:
    meetings = programme.meetings.order_by("starts_at", "pk")
    return {
        "id": programme.pk,
        "name_ar": programme.name_ar,
        "name_fr": programme.name_fr,
        "territory_code": programme.territory.code,
        "body_kind": programme.body_kind,
        "due_on": programme.due_on,
        "meeting_ids": list(meetings.values_list("pk", flat=True)),
        "held": meetings.exclude(status="draft").count(),
    }


class ProgrammeIn(Input):
    name_ar: str = ""
    name_fr: str = ""
    pattern: str  # each_place, each_body or repeat
    starts_at: Moment
    spacing: str = "same_day"  # same_day, weekly, monthly, quarterly
    body_id: int | None = None  # each_place, repeat
    body_kind: str = ""  # each_body
    territory_code: str = ""  # each_body
    count: int = 0  # repeat


@router.get("/programmes", response=responses({200: list[ProgrammeOut]}))
@paginate
def list_programmes(request):
    return [_programme_out(p) for p in programme_services.programmes_for(actor=request.user)]


@router.post("/programmes", response=responses({201: ProgrammeOut}))
def plan_programme(request, payload: ProgrammeIn):
    body = (
        get_visible_or_404(request.user, Body, CHANGE, pk=payload.body_id)
        if payload.body_id
        else None
    )
    territory = (
        get_visible_or_404(
            request.user, territories_where(request.user, Programme), code=payload.territory_code
        )
        if payload.territory_code
        else None
    )

    def write():
        programme = programme_services.programme_plan(
            actor=request.user,
            name_ar=payload.name_ar,
            name_fr=payload.name_fr,
            pattern=payload.pattern,
            starts_at=payload.starts_at,
            spacing=payload.spacing,
            body=body,
            body_kind=payload.body_kind,
            territory=territory,
            count=payload.count,
        )
        audit(request, "programme.plan", programme)
        return 201, ProgrammeOut(**_programme_out(programme)).model_dump(mode="json")

    return idempotent(request, write, model=Programme)


# A day as text (a bare number is no date: pydantic would take 0 for 1 January 1970).
DAY_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _day(value: str) -> datetime.date:
    """The day written, the month's last day when it has fewer days (31 April is 30 April)."""
    year, month, day = (int(part) for part in value.split("-"))
    year = max(year, 1)
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class CalendarItemOut(Schema):
    uid: str
    kind: str
    starts_at: Moment
    title: str
    place: str


@router.get("/calendar", response=responses({200: list[CalendarItemOut]}))
def get_calendar(
    request,
    territory: str = "",
    start: str = Query("", pattern=DAY_PATTERN, description="YYYY-MM-DD, today by default"),
    days: int = 31,
):
    """A territory's meetings and planned foundings from a day (today by default), up to a year."""
    node = _node(request, territory)
    if node is None:
        return []
    start = _day(start) if start else timezone.localdate()
    language = "fr" if translation.get_language() == "fr" else "ar"
    items = programme_services.calendar_items(
        actor=request.user,
        territory=node,
        start=start,
        end=start + datetime.timedelta(days=max(1, min(days, 366))),
        language=language,
    )
    return [
        {
            "uid": item.uid,
            "kind": item.kind,
            "starts_at": item.when,
            "title": item.title,
            "place": item.place,
        }
        for item in items
    ]

"""Programmes of meetings planned in one step (a body meeting in every province in turn, every
provincial secretariat of a region, a monthly meeting, a council's sessions), and the calendar of
a territory that shows them with the planned foundings: month view, reminders, iCalendar export."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, VIEW, can, can_add, visible_to
from abwab.meetings import services as meeting_services
from abwab.meetings.communique import AR_MONTHS, FR_MONTHS
from abwab.meetings.founding import planned_in
from abwab.meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Programme,
    ProgrammePlace,
)
from abwab.territory.models import Body, BodyKind, Kind, Level, Office, Territory

PATTERNS = (
    ("each_place", gettext_lazy("One body, in each place below it in turn")),
    ("each_body", gettext_lazy("Every body of a kind below a territory")),
    ("repeat", gettext_lazy("One body, several times")),
)
SPACINGS = (
    ("same_day", gettext_lazy("All on the same day")),
    ("weekly", gettext_lazy("Every week")),
    ("monthly", gettext_lazy("Every month")),
    ("quarterly", gettext_lazy("Every three months")),
)
COUNCILS = (
    BodyKind.NATIONAL_COUNCIL,
    BodyKind.REGIONAL_COUNCIL,
    BodyKind.PROVINCIAL_COUNCIL,
)
MAX_MEETINGS = 120


def _add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and hour `months` later (the month's last day when it is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def shifted(starts_at: datetime.datetime, spacing: str, index: int) -> datetime.datetime:
    """The date of the index-th meeting of a series (local wall-clock time kept)."""
    local = timezone.localtime(starts_at).replace(tzinfo=None)
    if spacing == "weekly":
        local += datetime.timedelta(weeks=index)
    elif spacing == "monthly":
        local = _add_months(local, index)
    elif spacing == "quarterly":
        local = _add_months(local, 3 * index)
    return timezone.make_aware(local)


@dataclass
class Slot:
    body: Body
    place: Territory | None


def _places_below(territory: Territory):
    """The places a body meets in, in turn: a region's provinces, a province's communes."""
    return (
        territory.children.filter(level__lte=Level.COMMUNE)
        .exclude(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS)
        .order_by("code")
    )


def programme_slots(
    *,
    actor,
    pattern: str,
    body: Body | None = None,
    body_kind: str = "",
    territory: Territory | None = None,
    count: int = 0,
) -> list[Slot]:
    """Which body meets where, one slot per meeting, in order; only bodies the actor may change."""
    if pattern in ("each_place", "repeat"):
        if body is None or not can(actor, CHANGE, body):
            raise ValidationError(
                _("Choose a body you may plan meetings of."), code=ErrorCode.NO_BODY
            )
        if pattern == "each_place":
            return [Slot(body, place) for place in visible_to(actor, _places_below(body.territory))]
        if not 1 <= count <= 24:
            raise ValidationError(
                _("Give a number of meetings from 1 to 24."), code=ErrorCode.COUNT
            )
        return [Slot(body, None)] * count
    if pattern == "each_body":
        if territory is None or body_kind not in BodyKind.values:
            raise ValidationError(
                _("Choose a territory and a kind of body."), code=ErrorCode.NO_KIND
            )
        bodies = Body.objects.filter(
            kind=body_kind, territory__path__startswith=territory.path
        ).exclude(territory=territory, party_unit__isnull=True)
        bodies = visible_to(actor, bodies.select_related("territory"), CHANGE)
        return [Slot(body, None) for body in bodies.order_by("territory__path", "pk")]
    raise ValidationError(_("Choose how the meetings are spread."), code=ErrorCode.PATTERN)


def _office_in(actor, place: Territory) -> Office | None:
    """The party's office in a place (the first one, by name), where the meeting is held."""
    offices = Office.objects.filter(territory__path__startswith=place.path).order_by(
        "territory__path", "name_fr"
    )
    return visible_to(actor, offices).first()


@transaction.atomic
def programme_plan(
    *,
    actor,
    name_ar: str,
    name_fr: str,
    pattern: str,
    starts_at: datetime.datetime,
    spacing: str = "same_day",
    body: Body | None = None,
    body_kind: str = "",
    territory: Territory | None = None,
    count: int = 0,
) -> Programme:
    """Plan a programme and all its meetings in one step; each meeting invites its body's office
    holders (meetings.services.meeting_plan) and shows in its place's calendar."""
    if spacing not in dict(SPACINGS):
        raise ValidationError(_("Choose how far apart the meetings are."), code=ErrorCode.SPACING)
    if pattern == "repeat" and spacing == "same_day" and count > 1:
        raise ValidationError(
            _("Meetings of one body are spread over weeks or months."), code=ErrorCode.SPACING
        )
    if not (name_ar.strip() or name_fr.strip()):
        raise ValidationError(_("Give the programme a name."), code=ErrorCode.NO_NAME)
    slots = programme_slots(
        actor=actor,
        pattern=pattern,
        body=body,
        body_kind=body_kind,
        territory=territory,
        count=count,
    )
    if not slots:
        raise ValidationError(
            _("No body to meet: nothing was planned."), code=ErrorCode.NO_MEETINGS
        )
    if len(slots) > MAX_MEETINGS:
        raise ValidationError(_("Too many meetings for one programme."), code=ErrorCode.TOO_MANY)
    home = body.territory if body is not None else territory
    if not can_add(actor, Programme, path=home.path):
        raise ValidationError(_("You cannot start a programme here."), code=ErrorCode.FORBIDDEN)
    dates = [shifted(starts_at, spacing, index) for index in range(len(slots))]
    name_ar, name_fr = " ".join(name_ar.split()), " ".join(name_fr.split())
    programme = Programme(
        name_ar=name_ar or name_fr,  # both are required: one language stands for the other
        name_fr=name_fr or name_ar,
        territory=home,
        body_kind=body.kind if body is not None else body_kind,
        due_on=timezone.localtime(dates[-1]).date(),
        created_by=actor,
    )
    programme.full_clean()
    programme.save()
    sessions: dict[int, int] = {}
    for slot, when in zip(slots, dates, strict=True):
        council = slot.body.kind in COUNCILS
        number = None
        if council:
            if slot.body.pk not in sessions:
                last = slot.body.meetings.aggregate(n=Max("session_number"))["n"] or 0
                sessions[slot.body.pk] = last
            sessions[slot.body.pk] += 1
            number = sessions[slot.body.pk]
        office = _office_in(actor, slot.place) if slot.place is not None else None
        meeting = meeting_services.meeting_plan(
            actor=actor,
            body=slot.body,
            starts_at=when,
            kind=MeetingKind.COUNCIL_SESSION if council else MeetingKind.ORDINARY,
            office=office,
            place=slot.place.name_ar if slot.place is not None and office is None else "",
            place_fr=slot.place.name_fr if slot.place is not None and office is None else "",
            session_number=number,
            programme=programme,
        )
        if slot.place is not None:
            ProgrammePlace.objects.create(meeting=meeting, territory=slot.place)
    return programme


def programmes_for(*, actor):
    """Programmes the actor may see, newest first, with their meetings' counts."""
    return visible_to(actor, Programme.objects.select_related("territory")).order_by("-pk")[:100]


# The calendar


@dataclass
class CalendarItem:
    """One line of a calendar: a meeting (of a body, maybe hosted by the place) or a founding."""

    when: datetime.datetime
    title: str
    place: str
    url: str
    kind: str  # "meeting", "hosted" (another level's meeting held here) or "founding"
    uid: str
    status: str = ""

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.when).date()


def _place_of(meeting: Meeting, language: str) -> str:
    if meeting.office_id:
        return str(meeting.office)
    return (meeting.place_fr or meeting.place) if language == "fr" else meeting.place


def _name(obj, language: str) -> str:
    return (obj.name_fr or obj.name_ar) if language == "fr" else (obj.name_ar or obj.name_fr)


def calendar_items(
    *, actor, territory: Territory, start: datetime.date, end: datetime.date, language: str
) -> list[CalendarItem]:
    """Meetings and planned foundings of a territory between two days (end excluded): meetings of
    its bodies and those held in it, as the gate lets the actor see them; meetings another level
    holds in the place (a programme's stop) are shown by date, body and place only."""
    from django.urls import reverse

    low = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    high = timezone.make_aware(datetime.datetime.combine(end, datetime.time()))
    here = (
        Q(body__territory__path__startswith=territory.path)
        | Q(office__territory__path__startswith=territory.path)
        | Q(programme_place__territory__path__startswith=territory.path)
    )
    meetings = (
        Meeting.objects.filter(here, starts_at__gte=low, starts_at__lt=high)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body", "office")
    )
    items = []
    seen = set()
    for meeting in visible_to(actor, meetings).order_by("starts_at", "pk")[:500]:
        seen.add(meeting.pk)
        items.append(
            CalendarItem(
                meeting.starts_at,
                _name(meeting.body, language),
                _place_of(meeting, language),
                reverse("meetings:detail", args=[meeting.pk]),
                "meeting",
                f"meeting-{meeting.pk}",
                meeting.get_status_display(),
            )
        )
    if can(actor, VIEW, territory):
        hosted = meetings.filter(
            programme_place__territory__path__startswith=territory.path
        ).exclude(pk__in=seen)
        for meeting in hosted.order_by("starts_at", "pk")[:200]:
            items.append(
                CalendarItem(
                    meeting.starts_at,
                    _name(meeting.body, language),
                    _place_of(meeting, language),
                    "",
                    "hosted",
                    f"meeting-{meeting.pk}",
                    meeting.get_status_display(),
                )
            )
    foundings = planned_in(actor=actor, territory=territory).filter(
        starts_at__gte=low, starts_at__lt=high
    )
    for founding in foundings[:300]:
        items.append(
            CalendarItem(
                founding.starts_at,
                _("Founding of the local secretariat of %(commune)s")
                % {"commune": _name(founding.commune, language)},
                str(founding.office)
                if founding.office_id
                else (
                    (founding.place_fr or founding.place) if language == "fr" else founding.place
                ),
                reverse("meetings:founding", args=[founding.pk]),
                "founding",
                f"founding-{founding.pk}",
            )
        )
    return sorted(items, key=lambda item: (item.when, item.uid))


def month_title(year: int, month: int, language: str) -> str:
    """ "دجنبر 2026", "décembre 2026" (Moroccan month names)."""
    return f"{(FR_MONTHS if language == 'fr' else AR_MONTHS)[month - 1]} {year}"


def month_weeks(year: int, month: int) -> list[list[datetime.date]]:
    """The month's weeks, Monday first (as the Moroccan calendar hangs on the wall)."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def reminders(*, actor, territory: Territory, language: str, days: int = 7) -> list[CalendarItem]:
    """What is coming in the next days (meetings and foundings), for the reminder list."""
    now = timezone.now()
    today = timezone.localdate()
    items = calendar_items(
        actor=actor,
        territory=territory,
        start=today,
        end=today + datetime.timedelta(days=days + 1),
        language=language,
    )
    return [item for item in items if now <= item.when <= now + datetime.timedelta(days=days)]


def _ics_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 folding: lines of at most 75 octets, continued with a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def to_ics(items: list[CalendarItem], *, name: str, host: str) -> str:
    """The items as an iCalendar file (one VEVENT each, two hours long, times in UTC)."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Abwab//Calendar//AR",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    for item in items:
        start = item.when.astimezone(datetime.UTC)
        end = start + datetime.timedelta(hours=2)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{end:%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{_ics_text(item.title)}",
        ]
        if item.place:
            lines.append(f"LOCATION:{_ics_text(item.place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

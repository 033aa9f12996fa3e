"""Writes to the meetings app: plan, record and approve meetings; decisions and their follow-up;
recurring programmes; founding a local secretariat."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.scope import CHANGE, can, can_add, require_change
from abwab.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Presence,
    Programme,
)
from abwab.people.models import FUNCTION_RANK, Function, Person, Position
from abwab.people.services import position_assign
from abwab.territory.models import Body, BodyKind, Level, Office, Territory


def province_of(territory: Territory) -> Territory:
    """The province or prefecture a node lies in (itself when it is one)."""
    codes = territory.path.split("/")[:-1]
    return Territory.objects.get(code=codes[2]) if len(codes) > 2 else territory


def _office_holders(body: Body, day: datetime.date):
    return (
        Position.objects.filter(body=body, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person__territory")
    )


@transaction.atomic
def meeting_plan(
    *,
    actor,
    body: Body,
    starts_at: datetime.datetime,
    kind: str = MeetingKind.ORDINARY,
    office: Office | None = None,
    place: str = "",
    chair: Person | None = None,
    session: str = "",
    programme: Programme | None = None,
) -> Meeting:
    """Plan a meeting and invite the body's office holders on that date, each with their function."""
    if not can(actor, CHANGE, body):
        raise ValidationError(_("You cannot plan a meeting of this body."), code="forbidden")
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        kind=kind,
        office=office,
        place=place,
        chair=chair,
        session=session,
        programme=programme,
    )
    meeting.full_clean()
    meeting.save()
    for position in _office_holders(body, starts_at.date()):
        Attendance.objects.get_or_create(
            meeting=meeting,
            person=position.person,
            defaults={
                "function": position.function,
                "rank": position.rank,
                "represents": province_of(position.person.territory),
            },
        )
    return meeting


@transaction.atomic
def attendance_invite(
    *, actor, meeting: Meeting, person: Person, function: str = "", is_member: bool = False
) -> Attendance:
    """Invite someone who is not an office holder of the body (a guest, an elected member)."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    rank = FUNCTION_RANK.get(function, len(FUNCTION_RANK))
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "function": function,
            "rank": rank,
            "is_member": is_member,
            "represents": province_of(person.territory),
        },
    )
    return attendance


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, presences: dict[int, str]) -> None:
    """Mark who was present, excused or absent (by person id)."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(
            _("The minutes are approved: the meeting can no longer change."), code="approved"
        )
    for attendance in meeting.attendances.all():
        if attendance.person_id in presences:
            attendance.presence = presences[attendance.person_id]
            attendance.full_clean()
            attendance.save(update_fields=["presence"])


@transaction.atomic
def agenda_set(*, actor, meeting: Meeting, items: list[tuple[str, str]]) -> None:
    """Replace the agenda with (theme, summary of the discussion) items, in order."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(
            _("The minutes are approved: the meeting can no longer change."), code="approved"
        )
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, title=t, summary=s)
        for i, (t, s) in enumerate(items, 1)
        if t.strip()
    )


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    territory: Territory | None = None,
    owner_person: Person | None = None,
    owner_body: Body | None = None,
    due_on: datetime.date | None = None,
) -> Decision:
    """Record a decision of the meeting; it concerns the body's territory unless said otherwise."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    territory = territory or meeting.body.territory
    if not territory.path.startswith(meeting.body.territory.path):
        raise ValidationError(
            _("A body decides for its own territory only."), code="outside_territory"
        )
    decision = Decision(
        meeting=meeting,
        text=text.strip(),
        territory=territory,
        owner_person=owner_person,
        owner_body=owner_body,
        due_on=due_on,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_set_status(*, actor, decision: Decision, status: str) -> Decision:
    """Follow a decision up: under way, done, cancelled."""
    require_change(actor, decision, _("You cannot follow this decision up."))
    decision.status = status
    decision.done_at = timezone.now() if status == DecisionStatus.DONE else None
    decision.save(update_fields=["status", "done_at"])
    return decision


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(members present, members invited, whether the quorum is reached)."""
    members = meeting.attendances.filter(is_member=True)
    total = members.count()
    present = members.filter(presence=Presence.PRESENT).count()
    return present, total, total > 0 and present * 100 > total * meeting.quorum_percent


@transaction.atomic
def meeting_convoke(*, actor, meeting: Meeting) -> Meeting:
    """Record that the convocation was sent (for a council session)."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    meeting.convoked_at = timezone.now()
    meeting.save(update_fields=["convoked_at"])
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting) -> Meeting:
    """Mark the meeting held: attendance must be recorded, and a council session needs its quorum."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("This meeting was already recorded as held."), code="not_draft")
    if meeting.attendances.filter(presence=Presence.INVITED).exists():
        raise ValidationError(_("Record everyone's attendance first."), code="attendance_missing")
    if meeting.kind == MeetingKind.COUNCIL_SESSION:
        present, total, reached = quorum(meeting)
        if not reached:
            raise ValidationError(
                _(
                    "No quorum: %(present)d of %(total)d members present, more than %(percent)d%% needed."
                )
                % {"present": present, "total": total, "percent": meeting.quorum_percent},
                code="no_quorum",
            )
    meeting.status, meeting.held_by, meeting.held_at = MeetingStatus.HELD, actor, timezone.now()
    meeting.save(update_fields=["status", "held_by", "held_at"])
    return meeting


@transaction.atomic
def meeting_approve(*, actor, meeting: Meeting) -> Meeting:
    """Approve the minutes of a held meeting (only those who may change the body's meetings)."""
    require_change(actor, meeting, _("You cannot approve the minutes of this body."))
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            _("Only the minutes of a held meeting can be approved."), code="not_held"
        )
    meeting.status, meeting.approved_by, meeting.approved_at = (
        MeetingStatus.APPROVED,
        actor,
        timezone.now(),
    )
    meeting.save(update_fields=["status", "approved_by", "approved_at"])
    return meeting


@transaction.atomic
def programme_create(
    *,
    actor,
    territory: Territory,
    body_kind: str,
    name_ar: str,
    name_fr: str,
    due_on: datetime.date,
    starts_at: datetime.datetime,
) -> Programme:
    """A recurring plan: one planned meeting of the given body in every child of the territory."""
    if not can_add(actor, Programme, path=territory.path):
        raise ValidationError(_("You cannot start a programme here."), code="forbidden")
    programme = Programme.objects.create(
        name_ar=name_ar,
        name_fr=name_fr,
        territory=territory,
        body_kind=body_kind,
        due_on=due_on,
        created_by=actor,
    )
    bodies = Body.objects.filter(
        kind=body_kind, territory__parent=territory, party_unit__isnull=True
    )
    for body in bodies:
        meeting_plan(actor=actor, body=body, starts_at=starts_at, programme=programme)
    return programme


def programme_progress(programme: Programme) -> tuple[int, int]:
    """(meetings held, meetings planned) of a programme."""
    meetings = programme.meetings.all()
    return meetings.exclude(status=MeetingStatus.DRAFT).count(), meetings.count()


@transaction.atomic
def local_secretariat_found(
    *,
    actor,
    commune: Territory,
    founded_on: datetime.date,
    secretary: Person,
    members: list[Person] = (),
    office: Office | None = None,
) -> Body:
    """Found a commune's local secretariat: the body, its secretary and members, its founding meeting."""
    if commune.level < Level.COMMUNE:
        raise ValidationError(
            _("A local secretariat is founded in a commune."), code="not_a_commune"
        )
    if not can_add(actor, Body, path=commune.path):
        raise ValidationError(_("You cannot found a secretariat here."), code="forbidden")
    if Body.objects.filter(kind=BodyKind.LOCAL_SECRETARIAT, territory=commune).exists():
        raise ValidationError(
            _("%(commune)s already has a local secretariat.") % {"commune": commune}, code="exists"
        )
    body = Body(
        kind=BodyKind.LOCAL_SECRETARIAT,
        territory=commune,
        founded_on=founded_on,
        name_ar=f"الأمانة المحلية {commune.name_ar}",
        name_fr=f"Secrétariat local {commune.name_fr}",
    )
    body.full_clean()
    body.save()
    position_assign(
        person=secretary, body=body, function=Function.LOCAL_SECRETARY, starts_on=founded_on
    )
    for person in members:
        position_assign(person=person, body=body, function=Function.MEMBER, starts_on=founded_on)
    starts_at = timezone.make_aware(datetime.datetime.combine(founded_on, datetime.time(18)))
    meeting = meeting_plan(
        actor=actor,
        body=body,
        starts_at=starts_at,
        kind=MeetingKind.FOUNDING,
        office=office,
        chair=secretary,
    )
    meeting.attendances.update(presence=Presence.PRESENT)
    meeting_hold(actor=actor, meeting=meeting)
    return body


ATTACHMENT_KINDS = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "odt")


@transaction.atomic
def attachment_add(*, actor, meeting: Meeting, upload):
    """Join a checked file (size, kind, content) to a meeting."""
    from abwab.core.uploads import check_upload
    from abwab.meetings.models import Attachment

    require_change(actor, meeting, _("You cannot change this meeting."))
    check_upload(upload, allowed=ATTACHMENT_KINDS)
    return Attachment.objects.create(
        meeting=meeting, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=actor
    )

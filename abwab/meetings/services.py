"""Writes to the meetings app: plan, record and approve meetings; decisions and their follow-up;
recurring programmes; founding a local secretariat."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, VIEW, can, can_add, require_change
from abwab.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionStatus,
    DecisionUpdate,
    Invitation,
    InviteeGroup,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Presence,
    Programme,
)
from abwab.people.models import FUNCTION_RANK, Function, Mandate, Person, Position
from abwab.people.services import position_assign
from abwab.territory.models import (
    Body,
    BodyKind,
    Level,
    Office,
    Quorum,
    Territory,
    province_path,
    quorum_for,
)


def province_of(territory: Territory) -> Territory:
    """The province or prefecture a node lies in (itself when it is one)."""
    if territory.depth <= Level.PROVINCE:
        return territory
    return Territory.objects.get(path=province_path(territory.path))


def _office_holders(body: Body, day: datetime.date):
    return (
        Position.objects.filter(body=body, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person__territory")
    )


def _check_person(actor, person: Person | None) -> None:
    """A person named in a request (chair, guest, owner, proxy) must be one the actor may see."""
    if person is not None and not can(actor, VIEW, person):
        raise ValidationError(_("Unknown person."), code=ErrorCode.UNKNOWN_PERSON)


def _check_office(actor, office: Office | None) -> None:
    if office is not None and not can(actor, VIEW, office):
        raise ValidationError(_("Unknown office."), code=ErrorCode.UNKNOWN_OFFICE)


def _require_open(meeting: Meeting) -> None:
    """Approved minutes and cancelled meetings no longer change."""
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(
            _("The minutes are approved: the meeting can no longer change."),
            code=ErrorCode.APPROVED,
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."), code=ErrorCode.CANCELLED)


def _body_rules(body: Body) -> dict:
    """Quorum and proxies as the body's rules set them on the day the meeting is planned."""
    return {"quorum": body.quorum, "proxies_allowed": body.proxies_allowed}


def _represents(body: Body) -> dict:
    """What an office holder represents: the party unit or the territory of their body."""
    unit = body.party_unit if body.party_unit_id else None
    return {"body": body, "represents": body.territory, "represents_unit": unit}


@transaction.atomic
def meeting_plan(
    *,
    actor,
    body: Body,
    starts_at: datetime.datetime,
    kind: str = MeetingKind.ORDINARY,
    office: Office | None = None,
    place: str = "",
    place_fr: str = "",
    chair: Person | None = None,
    session: str = "",
    session_number: int | None = None,
    programme: Programme | None = None,
) -> Meeting:
    """Plan a meeting and invite the body's office holders on that date, each with their function."""
    if not can(actor, CHANGE, body):
        raise ValidationError(
            _("You cannot plan a meeting of this body."), code=ErrorCode.FORBIDDEN
        )
    _check_person(actor, chair)
    _check_office(actor, office)
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        kind=kind,
        office=office,
        place=place.strip(),
        place_fr=place_fr.strip(),
        chair=chair,
        session=session,
        session_number=session_number,
        programme=programme,
        **_body_rules(body),
    )
    meeting.full_clean()
    meeting.save()
    for position in _office_holders(body, starts_at.date()):
        Attendance.objects.get_or_create(
            meeting=meeting,
            person=position.person,
            defaults={"function": position.function, "rank": position.rank, **_represents(body)},
        )
    return meeting


MEETING_DETAILS = ("starts_at", "kind", "office", "place", "place_fr", "chair", "session_number")


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **details) -> Meeting:
    """Change the date, kind, place or chair of a meeting not yet approved."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    unknown = set(details) - set(MEETING_DETAILS)
    if unknown:
        raise ValueError(f"not a meeting detail: {sorted(unknown)}")
    _check_person(actor, details.get("chair"))
    _check_office(actor, details.get("office"))
    for field, value in details.items():
        setattr(meeting, field, value.strip() if isinstance(value, str) else value)
    meeting.full_clean()
    meeting.save(update_fields=list(details))
    return meeting


def _recorded(meeting: Meeting) -> bool:
    """Whether anything beyond the plan was recorded (attendance, agenda, decisions, files, texts)."""
    return (
        meeting.attendances.exclude(presence=Presence.INVITED).exists()
        or meeting.agenda.exists()
        or meeting.decisions.exists()
        or meeting.attachments.exists()
        or meeting.communiques.exists()
    )


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting, saying why; it stays in the record, marked cancelled."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(
            _("Only a planned meeting can be cancelled."), code=ErrorCode.NOT_PLANNED
        )
    if not reason.strip():
        raise ValidationError(_("Say why the meeting is cancelled."), code=ErrorCode.REASON_MISSING)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason, meeting.cancelled_by = reason.strip(), actor
    meeting.cancelled_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["status", "cancelled_reason", "cancelled_by", "cancelled_at"])
    return meeting


def meeting_deletable(meeting: Meeting) -> bool:
    """Whether the meeting may still be deleted: planned, with nothing recorded."""
    return meeting.status == MeetingStatus.DRAFT and not _recorded(meeting)


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Delete a meeting planned by mistake: only while planned and with nothing recorded."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if not meeting_deletable(meeting):
        raise ValidationError(
            _("Only a planned meeting with nothing recorded can be deleted; cancel it instead."),
            code=ErrorCode.RECORDED,
        )
    meeting.delete()


def _invite(meeting: Meeting, person: Person, **defaults) -> Attendance:
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, person=person, defaults=defaults
    )
    return attendance


@transaction.atomic
def attendance_invite(
    *, actor, meeting: Meeting, person: Person, function: str = "", is_member: bool = False
) -> Attendance:
    """Invite a guest (someone in the actor's scope who holds no office being invited)."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    _check_person(actor, person)
    rank = FUNCTION_RANK.get(function, len(FUNCTION_RANK) + 10)
    return _invite(
        meeting,
        person,
        function=function,
        rank=rank,
        is_member=is_member,
        represents=province_of(person.territory),
    )


@transaction.atomic
def attendance_invite_position(*, actor, meeting: Meeting, position: Position) -> Attendance:
    """Invite an office holder (of this body or another: a provincial secretary to the region)."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    if not can(actor, VIEW, position):
        raise ValidationError(_("Unknown position."), code=ErrorCode.UNKNOWN_POSITION)
    return _invite(
        meeting,
        position.person,
        function=position.function,
        rank=position.rank,
        is_member=position.body_id == meeting.body_id,
        **_represents(position.body),
    )


# Elected officials come after the body's own office holders, MPs first.
MANDATE_RANK = {"parliament": 20, "councillors": 21, "government": 19, "regional_council": 22}


@transaction.atomic
def attendance_invite_mandate(*, actor, meeting: Meeting, mandate: Mandate) -> Attendance:
    """Invite an elected official by their mandate (an MP, the president of a council)."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    if not can(actor, VIEW, mandate):
        raise ValidationError(_("Unknown mandate."), code=ErrorCode.UNKNOWN_MANDATE)
    return _invite(
        meeting,
        mandate.person,
        function=mandate.role,
        institution=mandate.institution,
        rank=MANDATE_RANK.get(mandate.institution, 23),
        is_member=False,
        represents=mandate.territory,
    )


@transaction.atomic
def attendance_remove(*, actor, meeting: Meeting, person_id: int) -> None:
    """Withdraw an invitation while the meeting is planned."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(
            _("Only a planned meeting's invitations change."), code=ErrorCode.NOT_PLANNED
        )
    meeting.attendances.filter(person_id=person_id).delete()


@transaction.atomic
def group_invite(
    *, actor, meeting: Meeting, group: str, name_ar: str = "", name_fr: str = ""
) -> Invitation:
    """Invite a group as a whole ("the presidents of the communal councils of the region")."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    if group != InviteeGroup.OTHER:
        existing = meeting.groups.filter(group=group).first()
        if existing is not None:
            return existing
    invitation = Invitation(
        meeting=meeting, group=group, name_ar=name_ar.strip(), name_fr=name_fr.strip()
    )
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def group_remove(*, actor, meeting: Meeting, invitation_id: int) -> None:
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    meeting.groups.filter(pk=invitation_id).delete()


@transaction.atomic
def attendance_record(
    *,
    actor,
    meeting: Meeting,
    presences: dict[int, str],
    proxies: dict[int, int | None] | None = None,
) -> None:
    """Mark who was present, excused or absent (by person id), and who gave a proxy to whom."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    proxies = proxies or {}
    if any(proxies.values()) and not meeting.proxies_allowed:
        raise ValidationError(_("This body's rules allow no proxies."), code=ErrorCode.NO_PROXIES)
    attendances = list(meeting.attendances.all())
    for attendance in attendances:
        if attendance.person_id in presences:
            attendance.presence = presences[attendance.person_id]
        if attendance.person_id in proxies:
            attendance.proxy_id = proxies[attendance.person_id] or None
    present = {a.person_id for a in attendances if a.presence == Presence.PRESENT}
    for attendance in attendances:
        if attendance.proxy_id and (
            attendance.presence == Presence.PRESENT or attendance.proxy_id not in present
        ):
            raise ValidationError(
                _("A proxy is given by an absent member to one who is present."),
                code=ErrorCode.BAD_PROXY,
            )
        attendance.full_clean()
    Attendance.objects.bulk_update(attendances, ["presence", "proxy"])


@transaction.atomic
def agenda_set(*, actor, meeting: Meeting, items: list[tuple[str, ...]]) -> None:
    """Replace the agenda with items (Arabic theme, Arabic summary[, French theme, French summary])."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    meeting.agenda.all().delete()
    rows = []
    for item in items:
        title, summary, title_fr, summary_fr = (list(item) + ["", "", "", ""])[:4]
        if title.strip() or title_fr.strip():
            rows.append(
                AgendaItem(
                    meeting=meeting,
                    order=len(rows) + 1,
                    title=title.strip(),
                    summary=summary.strip(),
                    title_fr=title_fr.strip(),
                    summary_fr=summary_fr.strip(),
                )
            )
    AgendaItem.objects.bulk_create(rows)


@transaction.atomic
def agenda_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    title_fr: str = "",
    summary: str = "",
    summary_fr: str = "",
) -> AgendaItem:
    """Add a theme to the agenda, in Arabic and (if given) French."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    if not title.strip() and not title_fr.strip():
        raise ValidationError(_("An agenda item needs a theme."), code=ErrorCode.EMPTY)
    last = meeting.agenda.order_by("-order").first()
    item = AgendaItem(
        meeting=meeting,
        order=(last.order if last else 0) + 1,
        title=title.strip(),
        title_fr=title_fr.strip(),
        summary=summary.strip(),
        summary_fr=summary_fr.strip(),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_remove(*, actor, meeting: Meeting, item_id: int) -> None:
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    meeting.agenda.filter(pk=item_id).delete()


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    text_fr: str = "",
    territory: Territory | None = None,
    owner_person: Person | None = None,
    owner_body: Body | None = None,
    due_on: datetime.date | None = None,
) -> Decision:
    """Record a decision, numbered in its body's register for the year ("12/2026"); it concerns the
    body's territory unless said otherwise."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    if not text.strip() and not text_fr.strip():
        raise ValidationError(_("A decision needs a text."), code=ErrorCode.EMPTY)
    territory = territory or meeting.body.territory
    if not territory.is_below(meeting.body.territory):
        raise ValidationError(
            _("A body decides for its own territory only."), code=ErrorCode.OUTSIDE_TERRITORY
        )
    _check_person(actor, owner_person)
    if owner_body is not None and not can(actor, VIEW, owner_body):
        raise ValidationError(_("Unknown body."), code=ErrorCode.UNKNOWN_BODY)
    # The body's row is the register's lock: two decisions recorded at once get different numbers.
    Body.objects.select_for_update().filter(pk=meeting.body_id).first()
    year = timezone.localtime(meeting.starts_at).year
    last = Decision.objects.filter(body=meeting.body, year=year).aggregate(n=Max("number"))["n"]
    decision = Decision(
        meeting=meeting,
        body=meeting.body,
        year=year,
        number=(last or 0) + 1,
        text=text.strip(),
        text_fr=text_fr.strip(),
        territory=territory,
        owner_person=owner_person,
        owner_body=owner_body,
        due_on=due_on,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_set_status(*, actor, decision: Decision, status: str, note: str = "") -> Decision:
    """Follow a decision up: under way, done, cancelled; each step kept with its note."""
    require_change(actor, decision, _("You cannot follow this decision up."))
    if status not in DecisionStatus.values:
        raise ValidationError(_("Unknown status."), code=ErrorCode.INVALID_STATUS)
    decision.status = status
    decision.done_at = timezone.now() if status == DecisionStatus.DONE else None
    decision.save(update_fields=["status", "done_at"])
    DecisionUpdate.objects.create(
        decision=decision, status=status, note=note.strip()[:500], by=actor
    )
    return decision


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(members present or represented by a proxy, members invited, whether the quorum is reached)."""
    members = list(meeting.attendances.filter(is_member=True).only("presence", "proxy_id"))
    total = len(members)
    present = sum(
        1
        for a in members
        if a.presence == Presence.PRESENT or (meeting.proxies_allowed and a.proxy_id)
    )
    reached = meeting.quorum == Quorum.NONE or (
        total > 0 and present >= quorum_for(meeting.quorum, total)
    )
    return present, total, reached


@transaction.atomic
def meeting_convoke(*, actor, meeting: Meeting, base_url: str | None = None) -> Meeting:
    """Send the convocation to every invitee (email and SMS, each with a personal reply link;
    see abwab.meetings.convocations) and record when it went."""
    from abwab.meetings.convocations import convocation_send

    require_change(actor, meeting, _("You cannot change this meeting."))
    _require_open(meeting)
    convocation_send(actor=actor, meeting=meeting, base_url=base_url)
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting, quorum_note: str = "") -> Meeting:
    """Mark the meeting held: everyone's attendance recorded, someone present, and the quorum
    reached or its absence explicitly noted."""
    require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(
            _("Only a planned meeting can be recorded as held."), code=ErrorCode.NOT_DRAFT
        )
    attendances = meeting.attendances.all()
    if attendances.filter(presence=Presence.INVITED).exists():
        raise ValidationError(
            _("Record everyone's attendance first."), code=ErrorCode.ATTENDANCE_MISSING
        )
    if not attendances.filter(presence=Presence.PRESENT).exists():
        raise ValidationError(
            _("A meeting is held with someone present: record the attendance first."),
            code=ErrorCode.NOBODY_PRESENT,
        )
    present, total, reached = quorum(meeting)
    if not reached and not quorum_note.strip():
        raise ValidationError(
            _(
                "No quorum: %(present)d of %(total)d members present, %(needed)d needed. "
                "Note why the meeting was held nonetheless."
            )
            % {"present": present, "total": total, "needed": quorum_for(meeting.quorum, total)},
            code=ErrorCode.NO_QUORUM,
        )
    meeting.status, meeting.held_by, meeting.held_at = MeetingStatus.HELD, actor, timezone.now()
    meeting.quorum_note = "" if reached else quorum_note.strip()[:300]
    meeting.save(update_fields=["status", "held_by", "held_at", "quorum_note"])
    return meeting


@transaction.atomic
def meeting_approve(*, actor, meeting: Meeting) -> Meeting:
    """Approve the minutes of a held meeting, once: approving approved minutes changes nothing."""
    require_change(actor, meeting, _("You cannot approve the minutes of this body."))
    # Read the status under a lock: two clicks at once approve once, the second changes nothing.
    meeting.status = (
        Meeting.objects.select_for_update().values_list("status", flat=True).get(pk=meeting.pk)
    )
    if meeting.status == MeetingStatus.APPROVED:
        meeting.refresh_from_db()
        return meeting
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            _("Only the minutes of a held meeting can be approved."), code=ErrorCode.NOT_HELD
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
        raise ValidationError(_("You cannot start a programme here."), code=ErrorCode.FORBIDDEN)
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
            _("A local secretariat is founded in a commune."), code=ErrorCode.NOT_A_COMMUNE
        )
    if not can_add(actor, Body, path=commune.path):
        raise ValidationError(_("You cannot found a secretariat here."), code=ErrorCode.FORBIDDEN)
    if Body.objects.filter(kind=BodyKind.LOCAL_SECRETARIAT, territory=commune).exists():
        raise ValidationError(
            _("%(commune)s already has a local secretariat.") % {"commune": commune},
            code=ErrorCode.EXISTS,
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

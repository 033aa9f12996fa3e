"""API of the meetings app: the meeting record (plan, invitations, attendance, agenda, decisions,
hold, approve, cancel, delete), decisions' follow-up, and communiqués through the media office.
Every id in a path or a body passes the scope gate; each communiqué step is audited."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from abwab.api.errors import responses
from abwab.api.idempotency import idempotent
from abwab.api.schemas import Input
from abwab.api.types import Day, Moment
from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, get_visible_or_404, visible_to
from abwab.meetings import publishing, services
from abwab.meetings.models import (
    Communique,
    Decision,
    InviteeGroup,
    Meeting,
    MeetingKind,
    Presence,
)
from abwab.meetings.selectors import (
    attendance_for,
    attendance_title,
    closing_report,
    invitation_candidates,
)
from abwab.people.models import Mandate, Person, Position
from abwab.territory.models import Body, Office

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    body_id: int
    kind: str
    session_number: int | None
    starts_at: Moment
    status: str
    office_id: int | None
    place: str
    place_fr: str
    chair_id: int | None
    quorum: str
    proxies_allowed: bool
    quorum_note: str
    cancelled_reason: str


class MeetingIn(Input):
    body_id: int
    starts_at: Moment
    kind: str = MeetingKind.ORDINARY
    session_number: int | None = None
    office_id: int | None = None
    place: str = ""
    place_fr: str = ""
    chair_id: int | None = None


class MeetingPatch(Input):
    starts_at: Moment | None = None
    kind: str | None = None
    session_number: int | None = None
    office_id: int | None = None
    place: str | None = None
    place_fr: str | None = None
    chair_id: int | None = None


class CandidateOut(Schema):
    kind: str
    id: int
    person_id: int
    name: str
    title: str
    where: str
    invited: bool


class InvitationsIn(Input):
    positions: list[int] = []
    mandates: list[int] = []
    guests: list[int] = []


class GroupIn(Input):
    group: str
    name_ar: str = ""
    name_fr: str = ""


class GroupOut(Schema):
    id: int
    group: str
    name_ar: str
    name_fr: str


class AttendanceOut(Schema):
    person_id: int
    name: str
    function: str
    institution: str
    title: str
    represents_id: int | None
    represents_unit_id: int | None
    presence: str
    is_member: bool
    proxy_id: int | None


class PresenceIn(Input):
    person_id: int
    presence: str
    proxy_id: int | None = None


class AttendanceIn(Input):
    presences: list[PresenceIn]


class AgendaIn(Input):
    title: str = ""
    title_fr: str = ""
    summary: str = ""
    summary_fr: str = ""


class AgendaOut(Schema):
    id: int
    order: int
    title: str
    title_fr: str
    summary: str
    summary_fr: str


class DecisionIn(Input):
    text: str = ""
    text_fr: str = ""
    owner_person_id: int | None = None
    due_on: Day | None = None


class DecisionOut(Schema):
    id: int
    meeting_id: int
    reference: str
    text: str
    text_fr: str
    territory_id: int
    owner_person_id: int | None
    due_on: Day | None
    status: str


class DecisionStatusIn(Input):
    status: str
    note: str = ""


class HoldIn(Input):
    quorum_note: str = ""


class CancelIn(Input):
    reason: str


class ReportOut(Schema):
    present: int
    excused: int
    absent: int
    proxies: int
    members_present: int
    members: int
    quorum_reached: bool
    groups: int
    agenda: int
    decisions: int
    attachments: list[str]


class CommuniqueIn(Input):
    language: str = "ar"


class CommuniqueOut(Schema):
    id: int
    meeting_id: int
    language: str
    title: str
    text: str
    status: str
    slug: str
    review_comment: str
    published_at: Moment | None
    publications: list[dict]

    @staticmethod
    def resolve_publications(obj) -> list[dict]:
        return [
            {"channel": p.channel, "url": p.url, "published_at": p.published_at.isoformat()}
            for p in obj.publications.all()
        ]


class CommuniquePatch(Input):
    title: str
    text: str


class SendBackIn(Input):
    comment: str


class PublicationIn(Input):
    channel: str
    url: str = ""


def _meeting(request, meeting_id: int, action: str = "view") -> Meeting:
    return get_visible_or_404(request.user, Meeting, action, pk=meeting_id)


def _person(request, pk: int | None) -> Person | None:
    return get_visible_or_404(request.user, Person, pk=pk) if pk else None


def _office(request, pk: int | None) -> Office | None:
    return get_visible_or_404(request.user, Office, pk=pk) if pk else None


def _kind(kind: str | None) -> str:
    if kind not in MeetingKind.values:
        raise ValidationError(_("Unknown kind of meeting."), code=ErrorCode.INVALID_KIND)
    return kind


# --- Meetings ------------------------------------------------------------------------------------


@router.get("/", response=responses({200: list[MeetingOut]}))
@paginate
def list_meetings(request):
    return visible_to(request.user, Meeting.objects.all())


@router.post("/", response=responses({201: MeetingOut, 200: MeetingOut}))
def create_meeting(request, payload: MeetingIn):
    """Plan a meeting of a body; its office holders are invited."""

    def write():
        body = get_visible_or_404(request.user, Body, CHANGE, pk=payload.body_id)
        meeting = services.meeting_plan(
            actor=request.user,
            body=body,
            starts_at=payload.starts_at,
            kind=_kind(payload.kind),
            session_number=payload.session_number,
            office=_office(request, payload.office_id),
            place=payload.place,
            place_fr=payload.place_fr,
            chair=_person(request, payload.chair_id),
        )
        return 201, MeetingOut.from_orm(meeting).model_dump(mode="json")

    return idempotent(request, write, model=Meeting)


@router.get("/decisions", response=responses({200: list[DecisionOut]}))
@paginate
def list_decisions(request, status: str = ""):
    decisions = Decision.objects.all()
    if status:
        decisions = decisions.filter(status=status)
    return visible_to(request.user, decisions)


@router.get("/decisions/{decision_id}", response=responses({200: DecisionOut}))
def get_decision(request, decision_id: int):
    return get_visible_or_404(request.user, Decision, pk=decision_id)


@router.post("/decisions/{decision_id}/status", response=responses({200: DecisionOut}))
def set_decision_status(request, decision_id: int, payload: DecisionStatusIn):
    """Follow a decision up (open, in_progress, done, cancelled), with a note."""
    decision = get_visible_or_404(request.user, Decision, CHANGE, pk=decision_id)
    return services.decision_set_status(
        actor=request.user, decision=decision, status=payload.status, note=payload.note
    )


# --- Communiqués -----------------------------------------------------------------------------------


@router.get("/communiques", response=responses({200: list[CommuniqueOut]}))
@paginate
def list_communiques(request, status: str = ""):
    communiques = Communique.objects.prefetch_related("publications")
    if status:
        communiques = communiques.filter(status=status)
    return visible_to(request.user, communiques)


@router.get("/communiques/{communique_id}", response=responses({200: CommuniqueOut}))
def get_communique(request, communique_id: int):
    return get_visible_or_404(request.user, Communique, pk=communique_id)


def _communique_step(request, communique_id: int, step: str, run, reason: str = ""):
    communique = get_visible_or_404(request.user, Communique, CHANGE, pk=communique_id)
    communique = run(communique)
    audit(request, f"communique.{step}", communique, reason=reason)
    communique.refresh_from_db()
    return communique


@router.patch("/communiques/{communique_id}", response=responses({200: CommuniqueOut}))
def update_communique(request, communique_id: int, payload: CommuniquePatch):
    """Edit the title and text before publication."""
    return _communique_step(
        request,
        communique_id,
        "save",
        lambda c: publishing.communique_update(
            actor=request.user, communique=c, title=payload.title, text=payload.text
        ),
    )


@router.post("/communiques/{communique_id}/submit", response=responses({200: CommuniqueOut}))
def submit_communique(request, communique_id: int):
    """Send a draft to the media office."""
    return _communique_step(
        request,
        communique_id,
        "submit",
        lambda c: publishing.communique_submit(actor=request.user, communique=c),
    )


@router.post("/communiques/{communique_id}/approve", response=responses({200: CommuniqueOut}))
def approve_communique(request, communique_id: int):
    """The media office approves the text."""
    return _communique_step(
        request,
        communique_id,
        "approve",
        lambda c: publishing.communique_approve(actor=request.user, communique=c),
    )


@router.post("/communiques/{communique_id}/send-back", response=responses({200: CommuniqueOut}))
def send_back_communique(request, communique_id: int, payload: SendBackIn):
    """The media office returns the text with a comment."""
    return _communique_step(
        request,
        communique_id,
        "send_back",
        lambda c: publishing.communique_send_back(
            actor=request.user, communique=c, comment=payload.comment
        ),
        reason=payload.comment,
    )


@router.post("/communiques/{communique_id}/publish", response=responses({200: CommuniqueOut}))
def publish_communique(request, communique_id: int):
    """Publish an approved communiqué on the public news page (once)."""
    return _communique_step(
        request,
        communique_id,
        "publish",
        lambda c: publishing.communique_publish(actor=request.user, communique=c),
    )


@router.post("/communiques/{communique_id}/publications", response=responses({200: CommuniqueOut}))
def record_publication(request, communique_id: int, payload: PublicationIn):
    """Record that a published communiqué also went out elsewhere."""

    def run(communique):
        publishing.publication_record(
            actor=request.user, communique=communique, channel=payload.channel, url=payload.url
        )
        return communique

    return _communique_step(request, communique_id, "channel", run)


# --- One meeting --------------------------------------------------------------------------------------


@router.get("/{meeting_id}", response=responses({200: MeetingOut}))
def get_meeting(request, meeting_id: int):
    return _meeting(request, meeting_id)


@router.patch("/{meeting_id}", response=responses({200: MeetingOut}))
def update_meeting(request, meeting_id: int, payload: MeetingPatch):
    """Change the date, kind, session number, place or chair."""
    meeting = _meeting(request, meeting_id, CHANGE)
    given = payload.model_dump(exclude_unset=True)
    details = {}
    if given.get("starts_at"):
        details["starts_at"] = given["starts_at"]
    for field in ("place", "place_fr"):
        if field in given:
            details[field] = given[field] or ""
    if "session_number" in given:
        details["session_number"] = given["session_number"]
    if "kind" in given:
        details["kind"] = _kind(given["kind"])
    if "office_id" in given:
        details["office"] = _office(request, given["office_id"])
    if "chair_id" in given:
        details["chair"] = _person(request, given["chair_id"])
    return services.meeting_update(actor=request.user, meeting=meeting, **details)


@router.delete("/{meeting_id}", response=responses({204: None}))
def delete_meeting(request, meeting_id: int):
    """Delete a planned meeting with nothing recorded."""
    meeting = _meeting(request, meeting_id, CHANGE)
    services.meeting_delete(actor=request.user, meeting=meeting)
    audit(request, "meeting.delete", model=Meeting)
    return Status(204, None)


@router.post("/{meeting_id}/cancel", response=responses({200: MeetingOut}))
def cancel_meeting(request, meeting_id: int, payload: CancelIn):
    """Cancel a planned meeting, with the reason."""
    meeting = _meeting(request, meeting_id, CHANGE)
    return services.meeting_cancel(actor=request.user, meeting=meeting, reason=payload.reason)


@router.get("/{meeting_id}/candidates", response=responses({200: list[CandidateOut]}))
def list_candidates(request, meeting_id: int, language: str = "ar"):
    """Office holders and elected officials the meeting may invite."""
    meeting = _meeting(request, meeting_id)
    return [
        {
            "kind": c.kind,
            "id": c.pk,
            "person_id": c.person.pk,
            "name": str(c.person),
            "title": c.title,
            "where": c.where,
            "invited": c.invited,
        }
        for c in invitation_candidates(
            actor=request.user, meeting=meeting, language="fr" if language == "fr" else "ar"
        )
    ]


def _attendance_rows(request, meeting: Meeting, language: str = "ar") -> list[dict]:
    return [
        {
            "person_id": a.person_id,
            "name": str(a.person),
            "function": a.function,
            "institution": a.institution,
            "title": attendance_title(a, language),
            "represents_id": a.represents_id,
            "represents_unit_id": a.represents_unit_id,
            "presence": a.presence,
            "is_member": a.is_member,
            "proxy_id": a.proxy_id,
        }
        for a in attendance_for(request.user, meeting)
    ]


@router.post("/{meeting_id}/invitations", response=responses({200: list[AttendanceOut]}))
def invite(request, meeting_id: int, payload: InvitationsIn):
    """Invite office holders (position ids), elected officials (mandate ids) and guests (person ids)."""
    meeting = _meeting(request, meeting_id, CHANGE)
    for pk in payload.positions:
        position = get_visible_or_404(request.user, Position, pk=pk)
        services.attendance_invite_position(actor=request.user, meeting=meeting, position=position)
    for pk in payload.mandates:
        mandate = get_visible_or_404(request.user, Mandate, pk=pk)
        services.attendance_invite_mandate(actor=request.user, meeting=meeting, mandate=mandate)
    for pk in payload.guests:
        services.attendance_invite(actor=request.user, meeting=meeting, person=_person(request, pk))
    return _attendance_rows(request, meeting)


@router.post("/{meeting_id}/groups", response=responses({200: GroupOut}))
def invite_group(request, meeting_id: int, payload: GroupIn):
    """Invite a group as a whole (secretariat_members, council_presidents, directors, elected_members,
    or other with its names)."""
    meeting = _meeting(request, meeting_id, CHANGE)
    if payload.group not in InviteeGroup.values:
        raise ValidationError(_("Choose a group."), code=ErrorCode.INVALID_GROUP)
    return services.group_invite(
        actor=request.user,
        meeting=meeting,
        group=payload.group,
        name_ar=payload.name_ar,
        name_fr=payload.name_fr,
    )


@router.get("/{meeting_id}/attendance", response=responses({200: list[AttendanceOut]}))
def get_attendance(request, meeting_id: int, language: str = "ar"):
    meeting = _meeting(request, meeting_id)
    return _attendance_rows(request, meeting, "fr" if language == "fr" else "ar")


@router.put("/{meeting_id}/attendance", response=responses({200: list[AttendanceOut]}))
def record_attendance(request, meeting_id: int, payload: AttendanceIn):
    """Record present, excused or absent (and proxies where the body's rules allow them)."""
    meeting = _meeting(request, meeting_id, CHANGE)
    invalid = [p.presence for p in payload.presences if p.presence not in Presence.values]
    if invalid:
        raise ValidationError(_("Unknown presence."), code=ErrorCode.INVALID_PRESENCE)
    services.attendance_record(
        actor=request.user,
        meeting=meeting,
        presences={p.person_id: p.presence for p in payload.presences},
        proxies={p.person_id: p.proxy_id for p in payload.presences},
    )
    return _attendance_rows(request, meeting)


@router.post("/{meeting_id}/agenda", response=responses({200: AgendaOut}))
def add_agenda_item(request, meeting_id: int, payload: AgendaIn):
    """Add a theme to the agenda (Arabic and French)."""
    meeting = _meeting(request, meeting_id, CHANGE)
    return services.agenda_add(actor=request.user, meeting=meeting, **payload.model_dump())


@router.post("/{meeting_id}/decisions", response=responses({200: DecisionOut}))
def add_decision(request, meeting_id: int, payload: DecisionIn):
    """Record a decision; it is numbered in the body's register for the year."""
    meeting = _meeting(request, meeting_id, CHANGE)
    return services.decision_add(
        actor=request.user,
        meeting=meeting,
        text=payload.text,
        text_fr=payload.text_fr,
        owner_person=_person(request, payload.owner_person_id),
        due_on=payload.due_on,
    )


@router.post("/{meeting_id}/hold", response=responses({200: MeetingOut}))
def hold_meeting(request, meeting_id: int, payload: HoldIn):
    """Record the meeting as held (attendance recorded, someone present, quorum or a note)."""
    meeting = _meeting(request, meeting_id, CHANGE)
    return services.meeting_hold(
        actor=request.user, meeting=meeting, quorum_note=payload.quorum_note
    )


@router.post("/{meeting_id}/approve", response=responses({200: MeetingOut}))
def approve_minutes(request, meeting_id: int):
    """Approve the minutes (a second call changes nothing)."""
    meeting = _meeting(request, meeting_id, CHANGE)
    return services.meeting_approve(actor=request.user, meeting=meeting)


@router.get("/{meeting_id}/report", response=responses({200: ReportOut}))
def get_report(request, meeting_id: int):
    """The closing report: attendees counted, agenda, decisions, attached documents."""
    report = closing_report(_meeting(request, meeting_id))
    return {**report.__dict__, "attachments": [a.name for a in report.attachments]}


@router.post("/{meeting_id}/communiques", response=responses({200: CommuniqueOut}))
def draft_communique(request, meeting_id: int, payload: CommuniqueIn):
    """Draft the communiqué of a held meeting (or return the draft under way)."""
    meeting = _meeting(request, meeting_id)
    communique = publishing.communique_generate(
        actor=request.user, meeting=meeting, language=payload.language
    )
    audit(request, "communique.draft", communique)
    return communique

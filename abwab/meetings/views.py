"""Meeting pages: plan, record (invitations, attendance, agenda, decisions), hold, approve,
cancel or delete; decisions board; coverage. Communiqués are in views_media."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import (
    CHANGE,
    can,
    can_add,
    get_visible_or_404,
    territory_or_404,
    visible_to,
)
from abwab.meetings import services
from abwab.meetings.communique import missing_texts
from abwab.meetings.convocations import convocation_cost, convocation_last, expected_attendance
from abwab.meetings.models import (
    Attachment,
    Decision,
    DecisionStatus,
    InviteeGroup,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Presence,
)
from abwab.meetings.selectors import (
    attendance_for,
    closing_report,
    communes_without_secretariat,
    coverage_total,
    decision_board,
    invitation_candidates,
    reads_attendees,
)
from abwab.people.models import Mandate, Person, Position
from abwab.territory.models import Body, Office


def _language() -> str:
    return "fr" if translation.get_language() == "fr" else "ar"


def _person(request, field: str) -> Person | None:
    """A person named by id in the form, through the scope gate (404 outside the actor's scope)."""
    value = request.POST.get(field)
    return get_visible_or_404(request.user, Person, pk=value) if value else None


def _office(request) -> Office | None:
    value = request.POST.get("office")
    return get_visible_or_404(request.user, Office, pk=value) if value else None


def _when(request) -> datetime.datetime:
    starts_at = parse_datetime(request.POST.get("starts_at", ""))
    if starts_at is None:
        raise ValidationError(_("Give the date and time of the meeting."), code=ErrorCode.NO_DATE)
    return timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at


def _kind(request) -> str:
    kind = request.POST.get("kind")
    return kind if kind in MeetingKind.values else MeetingKind.ORDINARY


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = visible_to(request.user, Meeting.objects.select_related("body__territory"))[:200]
    bodies = visible_to(request.user, Body.objects.all(), CHANGE).order_by("territory__path")[:200]
    offices = visible_to(request.user, Office.objects.select_related("territory"))[:200]
    context = {
        "meetings": meetings,
        "bodies": bodies,
        "offices": offices,
        "kinds": MeetingKind.choices,
    }
    return render(request, "meetings/meeting_list.html", context)


@login_required
@require_POST
def meeting_new(request: HttpRequest) -> HttpResponse:
    body = get_visible_or_404(request.user, Body, CHANGE, pk=request.POST.get("body"))
    office = _office(request)
    chair = _person(request, "chair")
    try:
        meeting = services.meeting_plan(
            actor=request.user,
            body=body,
            starts_at=_when(request),
            kind=_kind(request),
            office=office,
            place=request.POST.get("place", ""),
            place_fr=request.POST.get("place_fr", ""),
            chair=chair,
            session_number=_number(request.POST.get("session_number")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:list")
    return redirect("meetings:detail", pk=meeting.pk)


def _details(request, meeting: Meeting) -> None:
    services.meeting_update(
        actor=request.user,
        meeting=meeting,
        starts_at=_when(request),
        kind=_kind(request),
        office=_office(request),
        place=request.POST.get("place", ""),
        place_fr=request.POST.get("place_fr", ""),
        chair=_person(request, "chair"),
        session_number=_number(request.POST.get("session_number")),
    )


def _invite(request, meeting: Meeting) -> None:
    """Invite the office holders and elected officials ticked in the list (each through the gate)."""
    for pk in request.POST.getlist("position"):
        position = get_visible_or_404(request.user, Position, pk=pk)
        services.attendance_invite_position(actor=request.user, meeting=meeting, position=position)
    for pk in request.POST.getlist("mandate"):
        mandate = get_visible_or_404(request.user, Mandate, pk=pk)
        services.attendance_invite_mandate(actor=request.user, meeting=meeting, mandate=mandate)


def _attendance(request, meeting: Meeting) -> None:
    presences, proxies = {}, {}
    for attendance in meeting.attendances.all():
        value = request.POST.get(f"presence-{attendance.person_id}")
        if value in Presence.values:
            presences[attendance.person_id] = value
        proxy = request.POST.get(f"proxy-{attendance.person_id}")
        if proxy is not None:
            proxies[attendance.person_id] = int(proxy) if proxy.isdigit() else None
    services.attendance_record(
        actor=request.user, meeting=meeting, presences=presences, proxies=proxies
    )


def _decision(request, meeting: Meeting) -> None:
    due = request.POST.get("due_on")
    services.decision_add(
        actor=request.user,
        meeting=meeting,
        text=request.POST.get("text", ""),
        text_fr=request.POST.get("text_fr", ""),
        owner_person=_person(request, "owner"),
        due_on=datetime.date.fromisoformat(due) if due else None,
    )


def _group(request, meeting: Meeting) -> None:
    group = request.POST.get("group")
    if group not in InviteeGroup.values:
        raise ValidationError(_("Choose a group."), code=ErrorCode.INVALID_GROUP)
    services.group_invite(
        actor=request.user,
        meeting=meeting,
        group=group,
        name_ar=request.POST.get("name_ar", ""),
        name_fr=request.POST.get("name_fr", ""),
    )


ACTIONS = {
    "details": _details,
    "invite": _invite,
    "guest": lambda r, m: services.attendance_invite(
        actor=r.user, meeting=m, person=_person(r, "person")
    ),
    "uninvite": lambda r, m: services.attendance_remove(
        actor=r.user, meeting=m, person_id=_number(r.POST.get("person")) or 0
    ),
    "group": _group,
    "ungroup": lambda r, m: services.group_remove(
        actor=r.user, meeting=m, invitation_id=_number(r.POST.get("invitation")) or 0
    ),
    "attendance": _attendance,
    "agenda": lambda r, m: services.agenda_add(
        actor=r.user,
        meeting=m,
        title=r.POST.get("title", ""),
        title_fr=r.POST.get("title_fr", ""),
        summary=r.POST.get("summary", ""),
        summary_fr=r.POST.get("summary_fr", ""),
    ),
    "agenda_remove": lambda r, m: services.agenda_remove(
        actor=r.user, meeting=m, item_id=_number(r.POST.get("item")) or 0
    ),
    "decision": _decision,
    "convoke": lambda r, m: services.meeting_convoke(
        actor=r.user, meeting=m, base_url=r.build_absolute_uri("/")
    ),
    "hold": lambda r, m: services.meeting_hold(
        actor=r.user, meeting=m, quorum_note=r.POST.get("quorum_note", "")
    ),
    "approve": lambda r, m: services.meeting_approve(actor=r.user, meeting=m),
    "cancel": lambda r, m: services.meeting_cancel(
        actor=r.user, meeting=m, reason=r.POST.get("reason", "")
    ),
    "attach": lambda r, m: services.attachment_add(actor=r.user, meeting=m, upload=r.FILES["file"]),
}


def _guests(request, meeting: Meeting, query: str):
    """Persons in the actor's scope matching a name, to invite as guests."""
    if len(query) < 2 or not can(request.user, CHANGE, meeting):
        return []
    words = Q()
    for field in ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin"):
        words |= Q(**{f"{field}__icontains": query})
    people = visible_to(request.user, Person.objects.live().filter(words))
    return people.exclude(pk__in=meeting.attendances.values("person_id")).order_by("pk")[:20]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(
        request.user,
        Meeting.objects.select_related("body__territory", "office__territory", "chair"),
        pk=pk,
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "delete":
            meeting = get_visible_or_404(request.user, Meeting, CHANGE, pk=pk)
            try:
                services.meeting_delete(actor=request.user, meeting=meeting)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("meetings:detail", pk=pk)
            audit(request, "meeting.delete", model=Meeting)
            messages.success(request, _("The meeting was deleted."))
            return redirect("meetings:list")
        if action not in ACTIONS or (action == "attach" and not request.FILES.get("file")):
            return redirect("meetings:detail", pk=meeting.pk)
        if not can(request.user, CHANGE, meeting):
            raise Http404
        try:
            ACTIONS[action](request, meeting)
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def _detail_context(request, meeting: Meeting) -> dict:
    may_change = can(request.user, CHANGE, meeting)
    reads_people = may_change or reads_attendees(request.user, meeting)
    attendances = attendance_for(request.user, meeting)
    is_open = meeting.status in (MeetingStatus.DRAFT, MeetingStatus.HELD)
    language = _language()
    query = request.GET.get("q", "").strip()
    return {
        "meeting": meeting,
        "may_change": may_change,
        "may_edit": may_change and is_open,
        "reads_people": reads_people,
        "attendances": attendances,
        "presences": [c for c in Presence.choices if c[0] != Presence.INVITED],
        "quorum": services.quorum(meeting),
        "expected": expected_attendance(meeting) if reads_people else None,
        "convocation": convocation_last(request.user, meeting) if may_change else None,
        "convocation_cost": convocation_cost(meeting, base_url=request.build_absolute_uri("/"))
        if may_change and meeting.status == MeetingStatus.DRAFT and not meeting.convoked_at
        else None,
        "candidates": invitation_candidates(actor=request.user, meeting=meeting, language=language)
        if may_change and meeting.status == MeetingStatus.DRAFT
        else [],
        "query": query,
        "guests": _guests(request, meeting, query) if may_change and is_open else [],
        "groups": meeting.groups.all(),
        "group_choices": InviteeGroup.choices,
        "kinds": MeetingKind.choices,
        "offices": visible_to(request.user, Office.objects.select_related("territory"))[:200]
        if may_change
        else [],
        "chairs": [a.person for a in attendances] if may_change else [],
        "agenda": meeting.agenda.all(),
        "decisions": meeting.decisions.select_related("owner_person").order_by("number", "pk"),
        "report": closing_report(meeting) if meeting.status != MeetingStatus.DRAFT else None,
        "communiques": meeting.communiques.all(),
        "may_write": meeting.status in (MeetingStatus.HELD, MeetingStatus.APPROVED),
        "missing": {lang: missing_texts(meeting, lang) for lang in ("ar", "fr")}
        if meeting.status != MeetingStatus.DRAFT
        else {},
        "attachments": meeting.attachments.all() if reads_people else [],
        "deletable": may_change and services.meeting_deletable(meeting),
    }


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest) -> HttpResponse:
    """The follow-up board: late, open and done decisions of the actor's territory and below."""
    if request.method == "POST":
        decision = get_visible_or_404(
            request.user, Decision, CHANGE, pk=request.POST.get("decision")
        )
        if request.POST.get("status") in DecisionStatus.values:
            services.decision_set_status(
                actor=request.user,
                decision=decision,
                status=request.POST["status"],
                note=request.POST.get("note", ""),
            )
        return redirect("meetings:decisions")
    return render(
        request,
        "meetings/decisions.html",
        {"board": decision_board(actor=request.user), "statuses": DecisionStatus.choices},
    )


@login_required
@require_GET
def coverage_page(request: HttpRequest) -> HttpResponse:
    """Coverage by child territory with each one's founding programme; from a province down, the
    work list of its communes (founded, founding planned, or to plan)."""
    from abwab.meetings.founding import commune_worklist, founding_progress
    from abwab.meetings.models import Founding
    from abwab.territory.models import Level

    node = territory_or_404(request.user, request.GET.get("territory"))
    worklist = (
        commune_worklist(actor=request.user, territory=node) if node.level >= Level.PROVINCE else []
    )
    founded = sum(1 for item in worklist if item.body)
    planned = sum(1 for item in worklist if item.founding and not item.body)
    context = {
        "node": node,
        "rows": [] if worklist else founding_progress(actor=request.user, territory=node),
        "worklist": worklist,
        "tally": {
            "founded": founded,
            "planned": planned,
            "to_plan": len(worklist) - founded - planned,
        },
        "total": coverage_total(actor=request.user, territory=node),
        "may_found": can_add(request.user, Founding, path=node.path),
        "without": []
        if worklist
        else communes_without_secretariat(actor=request.user, territory=node)[:300],
    }
    return render(request, "meetings/coverage.html", context)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_visible_or_404(request.user, Attachment, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)

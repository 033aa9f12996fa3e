"""Meeting pages: plan, record (attendance, agenda, decisions), hold, approve; decisions board;
coverage; communiqué drafts."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from abwab.core.scope import CHANGE, can, get_visible_or_404, territory_or_404, visible_to
from abwab.meetings.models import (
    Attachment,
    Communique,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingKind,
    Presence,
)
from abwab.meetings.publishing import communique_generate, communique_publish, communique_update
from abwab.meetings.selectors import communes_without_secretariat, coverage, decision_board
from abwab.meetings.services import (
    agenda_set,
    attachment_add,
    attendance_record,
    decision_add,
    decision_set_status,
    meeting_approve,
    meeting_convoke,
    meeting_hold,
    meeting_plan,
    quorum,
)
from abwab.territory.models import Body, Office


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = visible_to(request.user, Meeting.objects.select_related("body__territory"))[:200]
    bodies = visible_to(request.user, Body.objects.all(), CHANGE).order_by("territory__path")[:200]
    return render(request, "meetings/meeting_list.html", {"meetings": meetings, "bodies": bodies})


@login_required
@require_POST
def meeting_new(request: HttpRequest) -> HttpResponse:
    body = get_visible_or_404(request.user, Body, CHANGE, pk=request.POST.get("body"))
    starts_at = parse_datetime(request.POST.get("starts_at", ""))
    if starts_at is None:
        messages.error(request, _("Give the date and time of the meeting."))
        return redirect("meetings:list")
    office = visible_to(
        request.user, Office.objects.filter(pk=request.POST.get("office") or 0)
    ).first()
    kind = (
        request.POST.get("kind")
        if request.POST.get("kind") in MeetingKind.values
        else MeetingKind.ORDINARY
    )
    try:
        meeting = meeting_plan(
            actor=request.user,
            body=body,
            starts_at=timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at,
            kind=kind,
            office=office,
            session=request.POST.get("session", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:list")
    return redirect("meetings:detail", pk=meeting.pk)


def _act(request, meeting: Meeting) -> None:
    """Apply the one action the meeting page posted."""
    action = request.POST.get("action")
    if action == "attendance":
        presences = {
            a.person_id: request.POST.get(f"presence-{a.person_id}")
            for a in meeting.attendances.all()
        }
        attendance_record(
            actor=request.user,
            meeting=meeting,
            presences={k: v for k, v in presences.items() if v in Presence.values},
        )
    elif action == "agenda":
        lines = [
            line.split("|", 1)
            for line in request.POST.get("agenda", "").splitlines()
            if line.strip()
        ]
        agenda_set(
            actor=request.user,
            meeting=meeting,
            items=[(p[0].strip(), p[1].strip() if len(p) > 1 else "") for p in lines],
        )
    elif action == "decision":
        due = request.POST.get("due_on")
        decision_add(
            actor=request.user,
            meeting=meeting,
            text=request.POST.get("text", ""),
            due_on=datetime.date.fromisoformat(due) if due else None,
        )
    elif action == "convoke":
        meeting_convoke(actor=request.user, meeting=meeting)
    elif action == "hold":
        meeting_hold(actor=request.user, meeting=meeting)
    elif action == "approve":
        meeting_approve(actor=request.user, meeting=meeting)
    elif action == "attach" and request.FILES.get("file"):
        attachment_add(actor=request.user, meeting=meeting, upload=request.FILES["file"])


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(
        request.user, Meeting.objects.select_related("body__territory", "office", "chair"), pk=pk
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "communique":
                communique = communique_generate(
                    actor=request.user, meeting=meeting, language=request.POST.get("language", "ar")
                )
                return redirect("meetings:communique", pk=communique.pk)
            if not can(request.user, CHANGE, meeting):
                raise Http404
            _act(request, meeting)
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("meetings:detail", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "may_change": can(request.user, CHANGE, meeting),
        "attendances": meeting.attendances.select_related("person", "represents"),
        "presences": Presence.choices,
        "quorum": quorum(meeting),
        "agenda_text": "\n".join(
            f"{i.title} | {i.summary}" if i.summary else i.title for i in meeting.agenda.all()
        ),
        "decisions": meeting.decisions.order_by("pk"),
        "communiques": visible_to(request.user, meeting.communiques.all()),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest) -> HttpResponse:
    """The follow-up board: late, open and done decisions of the actor's territory and below."""
    if request.method == "POST":
        decision = get_visible_or_404(
            request.user, Decision, CHANGE, pk=request.POST.get("decision")
        )
        if request.POST.get("status") in DecisionStatus.values:
            decision_set_status(
                actor=request.user, decision=decision, status=request.POST["status"]
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
    node = territory_or_404(request.user, request.GET.get("territory"))
    context = {
        "node": node,
        "rows": coverage(actor=request.user, territory=node),
        "without": communes_without_secretariat(actor=request.user, territory=node)[:300],
    }
    return render(request, "meetings/coverage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def communique_edit(request: HttpRequest, pk: int) -> HttpResponse:
    communique = get_visible_or_404(
        request.user, Communique.objects.select_related("meeting__body"), pk=pk
    )
    if request.method == "POST":
        communique = get_visible_or_404(request.user, Communique, CHANGE, pk=pk)
        try:
            if "publish" in request.POST:
                communique_publish(actor=request.user, communique=communique)
                messages.success(request, _("Published."))
                return redirect("news:detail", slug=communique.slug)
            communique_update(
                actor=request.user,
                communique=communique,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
            )
            messages.success(request, _("Saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:communique", pk=communique.pk)
    return render(
        request,
        "meetings/communique_edit.html",
        {"communique": communique, "may_change": can(request.user, CHANGE, communique)},
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_visible_or_404(request.user, Attachment, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)

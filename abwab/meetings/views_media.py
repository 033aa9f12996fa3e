"""The media office's pages: communiqués to write, check, approve or send back, publish, and where
each went. Every step is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from abwab.core.audit import audit
from abwab.core.scope import CHANGE, can, get_visible_or_404, visible_to
from abwab.meetings import publishing
from abwab.meetings.communique import missing_texts
from abwab.meetings.models import Channel, Communique, CommuniqueStatus, Meeting


@login_required
@require_POST
def communique_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft (or reopen the draft of) a held meeting's communiqué in one language."""
    meeting = get_visible_or_404(request.user, Meeting, pk=pk)
    try:
        communique = publishing.communique_generate(
            actor=request.user, meeting=meeting, language=request.POST.get("language", "ar")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:detail", pk=meeting.pk)
    audit(request, "communique.draft", communique)
    return redirect("meetings:communique", pk=communique.pk)


def _step(request, communique: Communique) -> str:
    """Apply the step the page posted; returns the audit action."""
    step = request.POST.get("step", "save")
    if step in ("save", "submit", "approve") and communique.status != CommuniqueStatus.PUBLISHED:
        if "title" in request.POST:
            publishing.communique_update(
                actor=request.user,
                communique=communique,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
            )
    if step == "submit":
        publishing.communique_submit(actor=request.user, communique=communique)
    elif step == "approve":
        publishing.communique_approve(actor=request.user, communique=communique)
    elif step == "send_back":
        publishing.communique_send_back(
            actor=request.user, communique=communique, comment=request.POST.get("comment", "")
        )
    elif step == "publish":
        publishing.communique_publish(actor=request.user, communique=communique)
    elif step == "channel":
        publishing.publication_record(
            actor=request.user,
            communique=communique,
            channel=request.POST.get("channel", ""),
            url=request.POST.get("url", ""),
        )
    return f"communique.{step}"


def _step_done(action: str) -> str:
    return {
        "communique.submit": _("Sent to the media office."),
        "communique.approve": _("Approved."),
        "communique.send_back": _("Sent back with your comment."),
        "communique.publish": _("Published."),
        "communique.channel": _("Publication recorded."),
    }.get(action, _("Saved."))


@login_required
@require_http_methods(["GET", "POST"])
def communique_edit(request: HttpRequest, pk: int) -> HttpResponse:
    communique = get_visible_or_404(
        request.user, Communique.objects.select_related("meeting__body__territory"), pk=pk
    )
    if request.method == "POST":
        communique = get_visible_or_404(
            request.user, Communique.objects.select_related("meeting__body"), CHANGE, pk=pk
        )
        try:
            action = _step(request, communique)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("meetings:communique", pk=communique.pk)
        communique.refresh_from_db()
        audit(request, action, communique, reason=request.POST.get("comment", ""))
        messages.success(request, _step_done(action))
        if action == "communique.publish":
            return redirect("news:detail", slug=communique.slug)
        return redirect("meetings:communique", pk=communique.pk)
    may_change = can(request.user, CHANGE, communique)
    desk = publishing.is_media_desk(request.user, communique)
    status = communique.status
    editable = may_change and (
        status == CommuniqueStatus.DRAFT
        or (desk and status in (CommuniqueStatus.SUBMITTED, CommuniqueStatus.APPROVED))
    )
    context = {
        "communique": communique,
        "editable": editable,
        "may_submit": may_change and status == CommuniqueStatus.DRAFT,
        "may_approve": desk and status in (CommuniqueStatus.DRAFT, CommuniqueStatus.SUBMITTED),
        "may_send_back": desk and status in (CommuniqueStatus.SUBMITTED, CommuniqueStatus.APPROVED),
        "may_publish": desk and status == CommuniqueStatus.APPROVED,
        "may_record": desk and status == CommuniqueStatus.PUBLISHED,
        "channels": [c for c in Channel.choices if c[0] != Channel.NEWS_PAGE],
        "publications": communique.publications.all(),
        "missing": missing_texts(communique.meeting, communique.language),
    }
    return render(request, "meetings/communique_edit.html", context)


@login_required
@require_GET
def communique_list(request: HttpRequest) -> HttpResponse:
    """The media desk: communiqués waiting, being written, and published (with where they went)."""
    communiques = visible_to(
        request.user,
        Communique.objects.select_related("meeting__body__territory").prefetch_related(
            "publications"
        ),
    ).order_by("-created_at")[:300]
    board = {status: [] for status in CommuniqueStatus.values}
    for communique in communiques:
        board[communique.status].append(communique)
    rows = [(status, label, board[status]) for status, label in CommuniqueStatus.choices]
    return render(request, "meetings/communique_list.html", {"rows": rows})

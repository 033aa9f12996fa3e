"""Concerns left online and followed by their receipt number (no login), and the moderators'
queue of what the abuse rules held (login, scoped)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from abwab.campaigns.models import Purpose
from abwab.core.audit import audit
from abwab.core.language import public_language, with_language
from abwab.core.scope import CHANGE, can, get_visible_or_404, visible_to
from abwab.listening.models import Category, Urgency
from abwab.public import abuse, concerns, consent, selectors
from abwab.public.forms_concerns import PublicConcernForm
from abwab.public.models import PublicSubmission, SubmissionKind, SubmissionStatus
from abwab.public.submissions import decide, receipt_normalise, receive
from abwab.territory.models import Level, Territory


def _private(response: HttpResponse) -> HttpResponse:
    """Forms and receipts are nobody else's: never kept by a shared cache or the browser."""
    patch_cache_control(response, private=True, no_store=True)
    return response


@public_language
@require_http_methods(["GET", "POST"])
def concern(request: HttpRequest) -> HttpResponse:
    """Leave a concern: first find one's commune (by name, in either script), then the form."""
    code = request.POST.get("commune") or request.GET.get("commune", "")
    commune = (
        Territory.objects.filter(code=code, level__gte=Level.COMMUNE).first() if code else None
    )
    if commune is None:
        query = request.GET.get("q", "").strip()[:100]
        found = selectors.search_communes(query) if query else []
        return _private(
            render(request, "public/concern_commune.html", {"query": query, "found": found})
        )
    form = PublicConcernForm(request.POST or None, initial={"commune": commune.code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = receive(
                request,
                kind=SubmissionKind.CONCERN,
                territory=data["commune"],
                phone=data["contact_phone"],
                payload={
                    "category": data["category"].pk,
                    "description": data["description"],
                    "urgency": data["urgency"],
                    "wants_answer": data["wants_answer"],
                    "contact_name": data["contact_name"],
                    "contact_phone": data["contact_phone"],
                    "contact_consent": data["contact_consent"],
                    "consent_version": consent.CONSENT_VERSION if data["wants_answer"] else "",
                },
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            url = reverse("public:follow")
            return redirect(with_language(url, receipt=submission.receipt, new="1"))
    context = {
        "form": form,
        "commune": commune,
        "consent_text": consent.concern_text(),
        **abuse.guard_context(request),
    }
    return _private(render(request, "public/concern_form.html", context))


@public_language
@require_GET
def follow(request: HttpRequest) -> HttpResponse:
    """A receipt number's status, and nothing else. Every look-up counts against the address, so
    that numbers cannot be tried one after another; an unknown number and a malformed one get the
    same answer."""
    raw = request.GET.get("receipt", "").strip()[:40]
    receipt = receipt_normalise(raw)
    result, refused = None, None
    if raw:
        refused = abuse.lookup_refused(request)
        if not refused:
            result = concerns.follow(receipt) if receipt else None
    context = {
        "asked": receipt or raw,
        "result": result,
        "refused": refused,
        "new": bool(result) and request.GET.get("new") == "1",
    }
    return _private(render(request, "public/follow.html", context))


# --- moderation ---------------------------------------------------------------------------------

_PAYLOAD_LABELS = {
    "category": gettext_lazy("Category"),
    "description": gettext_lazy("Description"),
    "urgency": gettext_lazy("Urgency"),
    "contact_name": gettext_lazy("contact name"),
    "contact_phone": gettext_lazy("contact phone"),
    "name": gettext_lazy("Name"),
    "phone": gettext_lazy("Phone"),
    "purpose": gettext_lazy("Purpose"),
    "note": gettext_lazy("Note"),
    "expected_on": gettext_lazy("Expected on"),
}


def _payload_rows(submission: PublicSubmission) -> list[tuple[str, str, bool]]:
    """(label, value, is it left-to-right) of what a held form carries, as a moderator reads it."""
    rows = []
    for key, value in submission.payload.items():
        if key not in _PAYLOAD_LABELS or value in ("", None, False):
            continue
        if key == "category" and submission.kind == SubmissionKind.CONCERN:
            value = Category.objects.filter(pk=value).first() or value
        elif key == "urgency":
            value = Urgency(value).label if value in Urgency.values else value
        elif key == "purpose":
            value = dict(Purpose.choices).get(value, value)
        rows.append((str(_PAYLOAD_LABELS[key]), str(value), key in ("contact_phone", "phone")))
    return rows


@login_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    """The forms held for a moderator in the reader's scope, oldest first, with why they were held."""
    held = (
        visible_to(request.user, PublicSubmission.objects.filter(status=SubmissionStatus.HELD))
        .select_related("territory")
        .order_by("created_at", "pk")[:200]
    )
    rows = [
        {
            "submission": submission,
            "why": abuse.HELD_LABELS.get(submission.reason, submission.reason),
            "payload": _payload_rows(submission),
            "can_decide": can(request.user, CHANGE, submission),
        }
        for submission in held
    ]
    if rows:
        audit(request, "read_list", model=PublicSubmission, count=len(rows))
    return render(request, "public/moderation.html", {"rows": rows})


@login_required
@require_POST
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (the form becomes its concern or pre-registration) or reject a held form."""
    submission = get_visible_or_404(request.user, PublicSubmission, CHANGE, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        decide(request.user, submission, approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit(request, "public.approve" if approve else "public.reject", submission)
        messages.success(
            request,
            _("Approved: the form was accepted.")
            if approve
            else _("Rejected: the form was dropped."),
        )
    return redirect("public:moderation")

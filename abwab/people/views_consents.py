"""The consent ledger on a person's record (give or withdraw per purpose and channel) and its
evidence export (one person, or the members list as filtered) with the CNDP reference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.accounts.twofactor import recent_authentication_required
from abwab.core.audit import audit
from abwab.core.roles import PERSONAL_DATA_READERS
from abwab.core.scope import CHANGE, can, get_visible_or_404, roles, visible_to
from abwab.people.consents import (
    COMMUNICATION_PURPOSES,
    consent_give,
    consent_ledger,
    consent_withdraw_recorded,
    evidence_consents,
    evidence_csv,
    evidence_pdf,
)
from abwab.people.forms import PersonSearchForm
from abwab.people.models import Consent, ConsentChannel, ConsentMedium, ConsentPurpose, Person
from abwab.people.selectors import person_search_filtered
from abwab.people.services import CONSENT_TEXT_VERSION
from abwab.territory.models import Territory


def _reader_or_404(user) -> None:
    """Consents are read by the roles that read personal data (not volunteers or media officers)."""
    if not roles(user) & PERSONAL_DATA_READERS:
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def person_consents(request: HttpRequest, pk: int) -> HttpResponse:
    _reader_or_404(request.user)
    person = get_visible_or_404(request.user, Person.objects.live(), pk=pk)
    may_change = can(request.user, CHANGE, person)
    if request.method == "POST":
        if not may_change:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "give":
                consent_give(
                    actor=request.user,
                    person=person,
                    purpose=request.POST.get("purpose", ""),
                    medium=request.POST.get("medium", ""),
                    channel=request.POST.get("channel", ""),
                    text_version=request.POST.get("text_version", "").strip(),
                )
                audit(request, "consent.create", person)
                messages.success(request, _("The consent is recorded."))
            elif action == "withdraw":
                consent = get_visible_or_404(
                    request.user, Consent, CHANGE, pk=request.POST.get("consent"), person=person
                )
                consent_withdraw_recorded(actor=request.user, consent=consent, via="record")
                audit(request, "consent.revoke", person)
                messages.success(request, _("The withdrawal is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("people:consents", pk=person.pk)
    audit(request, "read", person)
    context = {
        "person": person,
        "ledger": consent_ledger(person),
        "may_change": may_change,
        "purposes": [(p.value, p.label) for p in COMMUNICATION_PURPOSES],
        "media": ConsentMedium.choices,
        "channels": ConsentChannel.choices,
        "text_version": CONSENT_TEXT_VERSION,
        "membership_purpose": ConsentPurpose.MEMBERSHIP,
    }
    return render(request, "people/person_consents.html", context)


def _evidence_response(request, consents, *, kind: str, title: str, filename: str):
    if kind == "pdf":
        pdf = evidence_pdf(consents, title=title, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        response = StreamingHttpResponse(
            evidence_csv(consents), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


@login_required
@recent_authentication_required
@require_GET
def person_consents_evidence(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One person's consent ledger as evidence (CSV or PDF); the export is audited."""
    _reader_or_404(request.user)
    if kind not in ("csv", "pdf"):
        raise Http404
    person = get_visible_or_404(request.user, Person.objects.live(), pk=pk)
    consents = evidence_consents(actor=request.user, people=Person.objects.filter(pk=person.pk))
    audit(request, "export", person, reason=f"consents {kind}")
    title = _("Consent ledger of %(name)s") % {"name": person}
    return _evidence_response(
        request, consents, kind=kind, title=title, filename=f"consents-{person.pk}"
    )


@login_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def consents_evidence(request: HttpRequest) -> HttpResponse:
    """The consents of the members list as filtered (territory, status, gender, age, skill), as
    evidence; the reason is logged with the count."""
    _reader_or_404(request.user)
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    territory = None
    if code := filters.get("territory"):
        territory = get_visible_or_404(request.user, Territory, code=code)
    people = person_search_filtered(actor=request.user, filters=filters, territory=territory)
    reason = request.POST.get("reason", "").strip()
    kind = request.POST.get("format", "csv")
    if request.method == "POST" and reason and kind in ("csv", "pdf"):
        consents = evidence_consents(actor=request.user, people=people.order_by())
        audit(
            request,
            "export",
            model=Consent,
            count=consents.count(),
            reason=f"consents {kind}: {reason}"[:300],
        )
        return _evidence_response(
            request, consents, kind=kind, title=_("Consent ledger"), filename="consents"
        )
    context = {
        "form": form,
        "count": visible_to(request.user, Consent.objects.filter(person__in=people.order_by()))
        .values("person")
        .distinct()
        .count(),
        "missing_reason": request.method == "POST",
    }
    return render(request, "people/consents_evidence.html", context)

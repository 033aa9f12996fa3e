"""Announce a visit or ask to join before coming (no login), and the receipt to show at the door:
its number and QR code, which the desk types or scans (see abwab.campaigns.prereg)."""

import segno
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from abwab.core.language import public_language, with_language
from abwab.public import abuse, consent, selectors
from abwab.public.forms_prereg import PreRegistrationForm
from abwab.public.models import SubmissionKind
from abwab.public.prereg import prereg_payload, receipt_for
from abwab.public.submissions import receipt_normalise, receive


def _private(response: HttpResponse) -> HttpResponse:
    """A form and a receipt are nobody else's: never kept by a shared cache or the browser."""
    patch_cache_control(response, private=True, no_store=True)
    return response


@public_language
@require_http_methods(["GET", "POST"])
def prereg(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-registration form of one public event; sent, it leads to the receipt."""
    event = selectors.public_event_or_none(pk)
    if event is None:
        raise Http404
    days = [day for day in selectors.event_days(event) if day >= selectors.today()]
    form = PreRegistrationForm(request.POST or None, event=event, days=days)
    if days and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = receive(
                request,
                kind=SubmissionKind.PREREGISTRATION,
                territory=data["territory"],
                phone=data["phone"],
                payload=prereg_payload(
                    event=event,
                    data=data,
                    consent_version=consent.CONSENT_VERSION,
                    consent_at=timezone.now(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect(with_language(reverse("public:receipt", args=[submission.receipt])))
    context = {
        "event": event,
        "office": event.office,
        "form": form,
        "ended": not days,
        "consent_text": consent.preregistration_text(),
        **abuse.guard_context(request),
    }
    return _private(render(request, "public/prereg_form.html", context))


@public_language
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """A pre-registration's receipt: the event, the day, the hours, the office's address (given here
    even when the public pages keep it on request), the number and its QR code; never the name or
    the phone. Every look-up counts against the address, so numbers cannot be tried in a row."""
    refused = abuse.lookup_refused(request)
    if refused:
        return _private(render(request, "public/receipt.html", {"refused": refused}, status=429))
    found = receipt_for(receipt_normalise(code))
    if found is None:
        raise Http404
    link = request.build_absolute_uri(reverse("public:receipt", args=[found.code]))
    qr = segno.make(link, error="m").svg_inline(scale=4, dark="#1d2430")
    context = {
        "receipt": found,
        "event": found.event,
        "office": found.event.office,
        "node": found.event.office.territory,
        "qr": mark_safe(qr),  # noqa: S308 - segno's SVG of our own URL
        "link": link,
        "ics_url": with_language(reverse("public:event_ics", args=[found.event.pk])),
    }
    return _private(render(request, "public/receipt.html", context))

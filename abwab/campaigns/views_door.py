"""The door desk, phone first: check a visitor in, sign them up, show the card with its QR code."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from abwab.campaigns.door import checkin_record, desk_communes, desk_events
from abwab.campaigns.door_entries import (
    OnDuplicate,
    PossibleDuplicates,
    door_signup_entry,
    review_note,
)
from abwab.campaigns.forms import CheckInForm, SignUpForm
from abwab.campaigns.models import CheckIn, Event, PreRegistration, Purpose
from abwab.campaigns.prereg import (
    checkin_key,
    prereg_arrive,
    prereg_expected,
    prereg_for_desk,
    prereg_signup,
    receipt_code,
)
from abwab.campaigns.selectors import visitors_per_hour
from abwab.core.bidi import isolate_ltr
from abwab.core.scope import can_add, get_visible_or_404, visible_to
from abwab.people.models import Membership


def _signup(request, event: Event, data: dict, form: SignUpForm, prereg: str = ""):
    """Sign up through the desks' one path (door_signup_entry, keyed by the form's key; for a
    pre-registered visitor, completing their arrival's check-in), or return the duplicate warning
    the volunteer must answer first."""
    entry = {
        "actor": request.user,
        "event": event,
        "checkin": {k: data[k] for k in ("name", "phone", "age_band", "gender")},
        "person": form.person_fields(),
        "consent_given": form.cleaned_data["consent"],
        "existing_person_id": form.cleaned_data.get("existing"),
        "on_duplicate": OnDuplicate.REVIEW
        if form.cleaned_data.get("confirm_new")
        else OnDuplicate.ASK,
    }
    try:
        if prereg:
            outcome = prereg_signup(code=prereg, **entry)
        else:
            outcome = door_signup_entry(
                client_key=data["client_key"], territory=data["territory"], **entry
            )
    except PossibleDuplicates as found:
        return None, found
    return outcome, None


def desk_event(request: HttpRequest, pk: int) -> Event:
    """The event whose desk the user may keep; 404 for everyone else (media officers and auditors
    see events, not the desk)."""
    key = request.POST.get("client_key", "") if request.method == "POST" else ""
    event = get_visible_or_404(request.user, desk_events(request.user, key[:64]), pk=pk)
    if not can_add(
        request.user, CheckIn, path=event.office.territory.path, office_id=event.office_id
    ):
        raise Http404
    return event


def _visit_counted(request, event: Event, data: dict) -> None:
    """A sign-up the desk must come back to (a warning, a refusal) still records the visit; the
    answer, sent under the same key, then completes that check-in."""
    try:
        checkin_record(actor=request.user, event=event, **data)
    except ValidationError:
        pass  # the sign-up's own error is the one shown


def _errors_to_forms(error: ValidationError, checkin_form, signup_form) -> None:
    """A refusal from the door service, shown beside the field it concerns (and in the summary)."""
    if not hasattr(error, "error_dict"):
        checkin_form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        if field in signup_form.fields:
            signup_form.add_error(field, errors)
        elif field in checkin_form.fields:
            checkin_form.add_error(field, errors)
        else:
            checkin_form.add_error(None, [m for e in errors for m in e.messages])


@login_required
@require_http_methods(["GET", "POST"])
def door_desk(request: HttpRequest, pk: int) -> HttpResponse:
    event = desk_event(request, pk)
    communes = desk_communes(event)
    # A pre-registered visitor's sign-up: the form opens with what they typed publicly, and the
    # sign-up completes the check-in their arrival recorded.
    prereg = _desk_prereg(request, event)
    initial = {"territory": event.office.territory}
    if prereg is not None:
        initial.update(
            client_key=checkin_key(prereg.code),
            name=prereg.name,
            phone=prereg.phone,
            territory=prereg.territory,
            purpose=Purpose.MEMBERSHIP,
        )
    checkin_form = CheckInForm(request.POST or None, communes=communes, initial=initial)
    signup_form = SignUpForm(request.POST or None, prefix="signup")
    warning = None
    code = prereg.code if prereg is not None else ""
    if request.method == "POST" and checkin_form.is_valid():
        data = checkin_form.cleaned_data
        try:
            if data["purpose"] != Purpose.MEMBERSHIP:
                if code:
                    checkin = prereg_arrive(actor=request.user, event=event, code=code)
                else:
                    checkin, _created = checkin_record(actor=request.user, event=event, **data)
                messages.success(request, _("Welcome recorded: %(name)s.") % {"name": checkin.name})
                return redirect("campaigns:door", pk=event.pk)
            if signup_form.is_valid():
                try:
                    outcome, warning = _signup(request, event, data, signup_form, code)
                except ValidationError:
                    if not code:  # a pre-registered visitor's arrival is counted already
                        _visit_counted(request, event, data)
                    raise
                if warning is not None and not code:
                    _visit_counted(request, event, data)
                if outcome is not None:
                    membership = outcome.membership
                    messages.success(
                        request,
                        _("Member signed up. Card number: %(card)s")
                        % {"card": isolate_ltr(membership.card_number)},
                    )
                    if outcome.review is not None:
                        messages.warning(request, review_note())
                    return redirect(
                        reverse("campaigns:card", args=[membership.pk]) + f"?desk={event.pk}"
                    )
        except ValidationError as error:
            _errors_to_forms(error, checkin_form, signup_form)
    context = {
        "event": event,
        "form": checkin_form,
        "signup": signup_form,
        "candidates": warning.candidates if warning else [],
        "elsewhere": warning.elsewhere if warning else False,
        "recent": visible_to(request.user, CheckIn.objects.filter(event=event))[:10],
        "per_hour": visitors_per_hour(actor=request.user, event=event),
        "prereg": prereg,
        "expected_query": request.GET.get("q", "")[:100],
        "expected": prereg_expected(
            actor=request.user, event=event, query=request.GET.get("q", "")
        )[:50],
    }
    return render(request, "campaigns/door_desk.html", context)


def _desk_prereg(request, event: Event) -> PreRegistration | None:
    """The pre-registration a desk page opens for a sign-up (`?prereg=` or the form's field), only
    one of this event's."""
    raw = request.POST.get("prereg", "") if request.method == "POST" else request.GET.get("prereg")
    if not raw:
        return None
    try:
        return prereg_for_desk(actor=request.user, event=event, code=raw)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@login_required
@require_POST
def door_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    """A pre-registered visitor came in ("Arrived", or their receipt typed or scanned): the visit is
    recorded once; a visitor who asked to join goes on to the desk's sign-up, prefilled."""
    event = desk_event(request, pk)
    try:
        checkin = prereg_arrive(actor=request.user, event=event, code=request.POST.get("code", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("campaigns:door", pk=event.pk)
    prereg = checkin.preregistration
    if prereg.wants_to_join and not checkin.person_id:
        messages.success(
            request,
            _("%(name)s has arrived and asks to join: complete the sign-up with their consent.")
            % {"name": checkin.name},
        )
        url = reverse("campaigns:door", args=[event.pk])
        return redirect(f"{url}?prereg={receipt_code(prereg.code)}#signup")
    messages.success(request, _("Welcome recorded: %(name)s.") % {"name": checkin.name})
    return redirect("campaigns:door", pk=event.pk)


@login_required
@require_GET
def member_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The new member's card number and a QR code that opens their record for those allowed to."""
    membership = get_visible_or_404(
        request.user, Membership.objects.select_related("person", "territory"), pk=pk
    )
    link = request.build_absolute_uri(reverse("people:detail", args=[membership.person_id]))
    qr = segno.make(link, error="m").svg_inline(scale=5, dark="#1d2430")
    desk = request.GET.get("desk", "")
    return render(
        request,
        "campaigns/member_card.html",
        {
            "membership": membership,
            "qr": mark_safe(qr),  # noqa: S308 - segno's SVG of our URL
            "link": link,
            # Back to an empty desk in one tap when the card follows a sign-up.
            "desk": int(desk) if desk.isdigit() and len(desk) < 12 else None,
        },  # noqa: S308 - segno's SVG of our URL
    )  # noqa: S308 - SVG made by segno from our own URL

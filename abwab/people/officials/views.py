"""Screens for bodies' office holders and elected mandates. Every object and every id posted goes
through the scope gate (404 outside); volunteers and media officers read no office holders."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from abwab.core.audit import audit
from abwab.core.scope import (
    CHANGE,
    can,
    can_add,
    get_visible_or_404,
    territories_where,
    territory_or_404,
)
from abwab.people.models import Mandate, Person, Position
from abwab.people.officials import selectors, services
from abwab.people.officials.forms import AppointForm, EndForm, MandateForm
from abwab.people.services import person_create
from abwab.territory.models import Body, Level, Territory


def _require_reader(user) -> None:
    if not selectors.may_read_officials(user):
        raise Http404


def _body(request: HttpRequest, pk: int, action: str = "view") -> Body:
    _require_reader(request.user)
    return get_visible_or_404(
        request.user, Body.objects.select_related("territory", "party_unit"), action, pk=pk
    )


def _body_page(request, body: Body, form: AppointForm | None = None, status: int = 200):
    query = request.GET.get("q", "") if form is None else request.POST.get("q", "")
    may_change = can(request.user, CHANGE, body)
    terms = selectors.body_terms(actor=request.user, body=body)
    # The form offers the first vacancy, if any: what the secretary most likely fills next.
    initial = {"starts_on": timezone.localdate(), "function": next(iter(terms.vacancies), None)}
    context = {
        "body": body,
        "terms": terms,
        "may_change": may_change,
        "form": form or AppointForm(initial=initial),
        "query": query,
        "found": selectors.people_to_name(actor=request.user, query=query) if may_change else [],
        "end_form": EndForm(),
    }
    return render(request, "people/officials/body_detail.html", context, status=status)


@login_required
@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A body: its rules, who holds each position and since when, vacancies, past terms; and, for
    those who may change it, the form to appoint someone (found by name or CIN, or new)."""
    body = _body(request, pk)
    audit(request, "read", body)  # the page names the office holders (personal data)
    return _body_page(request, body)


def _person_to_name(request: HttpRequest, form) -> Person | None:
    """The person picked (gated: 404 outside the actor's subtree) or created from the form."""
    if form.cleaned_data.get("person"):
        return get_visible_or_404(
            request.user, Person.objects.live(), CHANGE, pk=form.cleaned_data["person"]
        )
    fields = form.new_person()
    if fields is None:
        return None
    territory = get_visible_or_404(request.user, Territory, code=form.cleaned_data["new_territory"])
    if not can_add(request.user, Person, path=territory.path):
        raise Http404
    person = person_create(actor=request.user, territory=territory, **fields)
    audit(request, "person_create", person)
    return person


@login_required
@require_POST
def body_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Appoint a person to a position in the body."""
    body = _body(request, pk, CHANGE)
    form = AppointForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                person = _person_to_name(request, form)
                if person is not None:
                    position = services.position_appoint(
                        actor=request.user,
                        person=person,
                        body=body,
                        function=form.cleaned_data["function"],
                        starts_on=form.cleaned_data["starts_on"],
                        ends_on=form.cleaned_data["ends_on"],
                    )
                    audit(request, "position_appoint", position)
                    messages.success(request, _("The appointment is recorded."))
                    return redirect("people:body", pk=body.pk)
        except ValidationError as error:
            _add_errors(form, error)
    return _body_page(request, body, form, status=422)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a term in a body (today, or on the day given)."""
    _require_reader(request.user)
    position = get_visible_or_404(request.user, Position, CHANGE, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.position_end(
                actor=request.user, position=position, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            audit(request, "position_end", position)
            messages.success(request, _("The term is ended."))
    return redirect("people:body", pk=position.body_id)


def _mandate_territories(user):
    return territories_where(user, Mandate).filter(level__lte=Level.ARRONDISSEMENT).order_by("path")


@login_required
@require_GET
def officials(request: HttpRequest) -> HttpResponse:
    """Who holds a position or a mandate in a territory on a day, and the form to enter a mandate."""
    _require_reader(request.user)
    node = territory_or_404(request.user, request.GET.get("territory"))
    try:
        day = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        day = None
    may_add = _mandate_territories(request.user).exists()
    query = request.GET.get("q", "")
    found = selectors.officials_for(node, day, actor=request.user)
    audit(request, "read_list", model=Position, count=len(found))
    context = {
        "node": node,
        "day": day,
        "officials": found,
        "may_add": may_add,
        "form": MandateForm(
            territories=_mandate_territories(request.user) if may_add else (),
            initial={"starts_on": timezone.localdate(), "territory": node.code, "role": "member"},
        ),
        "query": query,
        "keep": [("territory", node.code)],
        "found": selectors.people_to_name(actor=request.user, query=query) if may_add else [],
    }
    return render(request, "people/officials/officials.html", context)


@login_required
@require_POST
def mandate_enter(request: HttpRequest) -> HttpResponse:
    """Enter an elected mandate for a person in scope, at a territory in scope."""
    _require_reader(request.user)
    territories = _mandate_territories(request.user)
    territory = get_visible_or_404(request.user, territories, code=request.POST.get("territory"))
    form = MandateForm(request.POST, territories=territories)
    if form.is_valid():
        try:
            with transaction.atomic():
                person = _person_to_name(request, form)
                if person is not None:
                    mandate = services.mandate_enter(
                        actor=request.user,
                        person=person,
                        institution=form.cleaned_data["institution"],
                        role=form.cleaned_data["role"],
                        territory=territory,
                        starts_on=form.cleaned_data["starts_on"],
                        ends_on=form.cleaned_data["ends_on"],
                    )
                    audit(request, "mandate_enter", mandate)
                    messages.success(request, _("The mandate is recorded."))
                    return redirect(_back(request, person.pk, territory))
        except ValidationError as error:
            _add_errors(form, error)
    context = {
        "node": territory,
        "day": None,
        "officials": selectors.officials_for(territory, actor=request.user),
        "may_add": True,
        "form": form,
        "query": request.POST.get("q", ""),
        "keep": [("territory", territory.code)],
        "found": [],
    }
    return render(request, "people/officials/officials.html", context, status=422)


def _back(request: HttpRequest, person_id: int, territory: Territory) -> str:
    """Back to the person's page when the form was there, else to the territory's officials."""
    if request.POST.get("next") == "person":
        return reverse("people:detail", kwargs={"pk": person_id})
    return reverse("people:officials") + f"?territory={territory.code}"


@login_required
@require_POST
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End an elected mandate (today, or on the day given)."""
    _require_reader(request.user)
    mandate = get_visible_or_404(request.user, Mandate, CHANGE, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.mandate_end(
                actor=request.user, mandate=mandate, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            audit(request, "mandate_end", mandate)
            messages.success(request, _("The mandate is ended."))
    return redirect(_back(request, mandate.person_id, mandate.territory))

"""Members and persons: list with search and filters, detail with history, rectification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.core.scope import CHANGE, can, get_visible_or_404, visible_to
from abwab.people.forms import PersonForm, PersonSearchForm
from abwab.people.models import Person
from abwab.people.selectors import person_search
from abwab.people.services import person_update
from abwab.territory.models import Territory


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    territory = None
    if code := filters.get("territory"):
        territory = visible_to(request.user, Territory.objects.filter(code=code)).first()
        if territory is None:
            form.add_error("territory", _("Unknown territory code, or outside your scope."))
    people = person_search(
        actor=request.user,
        query=filters.get("q", ""),
        territory=territory,
        status=filters.get("status", ""),
        gender=filters.get("gender", ""),
        age_band=filters.get("age_band", ""),
        skill=filters["skill"].code if filters.get("skill") else "",
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    template = (
        "people/_person_rows.html"
        if request.headers.get("HX-Request")
        else "people/person_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(
        request.user, Person.objects.not_anonymised().select_related("territory"), pk=pk
    )
    membership = getattr(person, "membership", None)
    context = {
        "person": person,
        "membership": membership,
        "changes": membership.changes.select_related("by") if membership else [],
        "consents": person.consents.all(),
        "positions": person.positions.select_related("body"),
        "mandates": person.mandates.select_related("territory"),
        "may_change": can(request.user, CHANGE, person),
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(request.user, Person.objects.not_anonymised(), CHANGE, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "skills"}
        try:
            person_update(
                actor=request.user, person=person, skills=form.cleaned_data["skills"], **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})

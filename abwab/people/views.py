"""Members and persons: list with search and filters, detail with history, rectification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.core.audit import audit
from abwab.core.scope import CHANGE, can, get_visible_or_404, territories_where, visible_to
from abwab.people.duplicates import LOOKUP_FIELDS, candidates_for, split_by_scope
from abwab.people.forms import PersonForm, PersonRegisterForm, PersonSearchForm
from abwab.people.models import Person
from abwab.people.selectors import person_search_filtered
from abwab.people.services import person_create, person_update
from abwab.territory.models import Level, Territory


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
    people = person_search_filtered(actor=request.user, filters=filters, territory=territory)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    audit(request, "read_list", model=Person, count=len(page.object_list))
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
        request.user, Person.objects.live().select_related("territory"), pk=pk
    )
    membership = person.membership
    audit(request, "read", person)
    context = {
        "person": person,
        "membership": membership,
        "changes": membership.changes.select_related("by") if membership else [],
        "consents": person.consents.all(),
        "positions": person.positions.select_related("body"),
        "mandates": person.mandates.select_related("territory"),
        "may_change": can(request.user, CHANGE, person),
        "merges": visible_to(
            request.user,
            person.merges_received.filter(undone_at__isnull=True).select_related("merged"),
        ),
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(request.user, Person.objects.live(), CHANGE, pk=pk)
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


def _warning(actor, candidates) -> dict:
    """What a duplicate warning shows: the matches the actor may see in full, and only whether a
    record outside their scope may match (no name, place, card number or id of it)."""
    shown, outside = split_by_scope(actor, candidates)
    return {"candidates": shown, "elsewhere": bool(outside)}


@login_required
@require_http_methods(["GET", "POST"])
def person_register(request: HttpRequest) -> HttpResponse:
    """Register a person; possible duplicates are shown before anything is saved."""
    communes = (
        territories_where(request.user, Person).filter(level__gte=Level.COMMUNE).order_by("name_fr")
    )
    if not communes.exists():
        raise Http404
    form = PersonRegisterForm(request.POST or None, communes=communes)
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("skills", "confirm_new")}
        candidates = candidates_for(data, territory=data["territory"])
        if not candidates or form.cleaned_data["confirm_new"]:
            try:
                person = person_create(
                    actor=request.user, skills=form.cleaned_data["skills"], **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Registered."))
                return redirect("people:detail", pk=person.pk)
    context = {"form": form, **_warning(request.user, candidates)}
    return render(request, "people/person_register.html", context)


@login_required
@require_GET
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """The live duplicate warning shown while a registration form is filled in (htmx); only for
    those who register persons (volunteers look up only through their desk, media officers and
    auditors not at all)."""
    if not territories_where(request.user, Person).exists():
        raise Http404
    fields = {name: request.GET.get(name, "").strip() for name in LOOKUP_FIELDS}
    fields["birth_date"] = parse_date(fields["birth_date"]) if fields["birth_date"] else None
    candidates = candidates_for(fields) if any(fields.values()) else []
    return render(request, "people/_duplicates.html", _warning(request.user, candidates))

"""Browsing the territory, offices and bodies in the user's scope; creating bodies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.core.audit import audit
from abwab.core.scope import (
    CHANGE,
    can,
    get_visible_or_404,
    territories_where,
    territory_or_404,
    visible_to,
)
from abwab.territory import selectors
from abwab.territory.forms import BodyForm, BodyRulesForm
from abwab.territory.links import office_holders, with_holders
from abwab.territory.models import Body, Office, PartyUnit, Territory
from abwab.territory.services import BODY_FIELDS, body_create, body_update


@login_required
@require_GET
def territory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_visible_or_404(request.user, Territory, pk=pk)
    holders = office_holders(request.user)  # from the app that owns them, if the user reads them
    context = {
        "node": node,
        "ancestors": node.ancestors(),
        "children": selectors.territory_children(actor=request.user, node=node),
        "offices": selectors.office_list(actor=request.user, within=node)[:200],
        "bodies": with_holders(
            request.user, selectors.body_list(actor=request.user, within=node)[:200]
        ),
        "holders_url": holders.node_url(node) if holders else "",
        "may_add_body": territories_where(request.user, Body).filter(pk=node.pk).exists(),
    }
    return render(request, "territory/territory_detail.html", context)


@login_required
@require_GET
def office_list(request: HttpRequest) -> HttpResponse:
    offices = selectors.office_list(actor=request.user)
    may_open = territories_where(request.user, Office, CHANGE).exists()
    return render(request, "territory/office_list.html", {"offices": offices, "may_open": may_open})


@login_required
@require_GET
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_visible_or_404(request.user, Office.objects.select_related("territory"), pk=pk)
    return render(
        request,
        "territory/office_detail.html",
        {
            "office": office,
            "ancestors": office.territory.ancestors(),
            "may_change": can(request.user, CHANGE, office),
        },
    )


@login_required
@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's facts and rules; its office holders are on the page of the app that owns them
    (abwab.territory.links: the territory app imports no domain app), for the roles that read
    names."""
    body = get_visible_or_404(
        request.user, Body.objects.select_related("territory", "party_unit"), pk=pk
    )
    context = {
        "body": body,
        "holders_url": holders.body_url(body) if (holders := office_holders(request.user)) else "",
        "may_change": can(request.user, CHANGE, body),
    }
    return render(request, "territory/body_detail.html", context)


@login_required
@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    """The bodies of a territory's subtree (the user's top node by default)."""
    node = territory_or_404(request.user, request.GET.get("territory"))
    bodies = selectors.body_list(actor=request.user, within=node)
    kind = request.GET.get("kind", "")
    if kind:
        bodies = bodies.filter(kind=kind)
    context = {
        "node": node,
        "bodies": with_holders(request.user, bodies[:500]),
        "kind": kind,
        "may_add_body": territories_where(request.user, Body).exists(),
    }
    return render(request, "territory/body_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def body_new(request: HttpRequest) -> HttpResponse:
    """Create a body at a node (or party unit) of the user's subtree."""
    territories = territories_where(request.user, Body, CHANGE)
    if not territories.exists():
        raise Http404
    # The node asked for (in the address, or the one posted) goes through the gate: 404 outside.
    code = (request.POST if request.method == "POST" else request.GET).get("territory") or None
    node = get_visible_or_404(request.user, territories, code=code) if code else None
    units = visible_to(request.user, PartyUnit.objects.all())
    form = BodyForm(request.POST or None, territories=territories, units=units, node=node)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = body_create(
                actor=request.user,
                kind=data["kind"],
                territory=data["territory"],
                party_unit=data["party_unit"],
                name_ar=data["name_ar"],
                name_fr=data["name_fr"],
                founded_on=data["founded_on"],
                quorum=data["quorum"],
                proxies_allowed=data["proxies_allowed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(request, "body_create", body)
            messages.success(request, _("The body is created."))
            return redirect("people:body", pk=body.pk)
    return render(request, "territory/body_form.html", {"form": form, "node": node})


@login_required
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a body's names and rules (quorum, proxies): its secretaries, in their subtree."""
    body = get_visible_or_404(request.user, Body.objects.select_related("territory"), CHANGE, pk=pk)
    initial = {name: getattr(body, name) for name in BODY_FIELDS}
    form = BodyRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            body_update(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(request, "body_update", body)
            messages.success(request, _("The body is saved."))
            return redirect("territory:body_detail", pk=body.pk)
    return render(request, "territory/body_form.html", {"form": form, "body": body})

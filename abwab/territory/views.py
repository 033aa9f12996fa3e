"""Browsing the territory, offices and bodies in the user's scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from abwab.core.scope import get_visible_or_404
from abwab.people.selectors import body_office_holders
from abwab.territory import selectors
from abwab.territory.models import Body, Office, Territory


@login_required
@require_GET
def territory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_visible_or_404(request.user, Territory, pk=pk)
    context = {
        "node": node,
        "ancestors": node.ancestors(),
        "children": selectors.territory_children(actor=request.user, node=node),
        "offices": selectors.office_list(actor=request.user, within=node)[:200],
        "bodies": selectors.body_list(actor=request.user, within=node)[:200],
    }
    return render(request, "territory/territory_detail.html", context)


@login_required
@require_GET
def office_list(request: HttpRequest) -> HttpResponse:
    offices = selectors.office_list(actor=request.user)
    return render(request, "territory/office_list.html", {"offices": offices})


@login_required
@require_GET
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_visible_or_404(request.user, Office.objects.select_related("territory"), pk=pk)
    return render(
        request,
        "territory/office_detail.html",
        {"office": office, "ancestors": office.territory.ancestors()},
    )


@login_required
@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_visible_or_404(
        request.user, Body.objects.select_related("territory", "party_unit"), pk=pk
    )
    holders = body_office_holders(actor=request.user, body=body)
    return render(request, "territory/body_detail.html", {"body": body, "holders": holders})

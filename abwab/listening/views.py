"""Listening pages: record a concern, dossiers ranked by how many raised them, hand them over."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.campaigns.models import Event
from abwab.core.audit import audit
from abwab.core.bidi import join_list
from abwab.core.scope import (
    CHANGE,
    VIEW,
    can,
    get_visible_or_404,
    territories_where,
    top_territory,
    visible_to,
)
from abwab.listening.answers import dossier_advance
from abwab.listening.forms import ConcernForm, DossierFilterForm, DossierStatusForm
from abwab.listening.models import Concern, Dossier
from abwab.listening.selectors import concerns_by_category, dossier_ranking
from abwab.listening.services import (
    concern_record,
    dossier_handover,
    mandates_for,
)
from abwab.people.models import Mandate
from abwab.territory.models import Level, Territory, province_path


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    """Record a concern: at an open event's door (?event=) or, for a secretariat, anywhere in scope."""
    event = None
    if event_pk := request.GET.get("event"):
        event = get_visible_or_404(
            request.user, Event.objects.select_related("office__territory"), pk=event_pk
        )
        province = province_path(event.office.territory.path)
        communes = Territory.objects.below(province).filter(level__gte=Level.COMMUNE)
    else:
        communes = territories_where(request.user, Concern).filter(level__gte=Level.COMMUNE)
    if not communes.exists():
        raise Http404
    form = ConcernForm(
        request.POST or None,
        communes=communes.order_by("name_fr"),
        initial={"territory": event.office.territory if event else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            concern_record(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Concern recorded. Thank you for listening."))
            return (
                redirect("campaigns:door", pk=event.pk) if event else redirect("listening:dossiers")
            )
    return render(request, "listening/concern_form.html", {"form": form, "event": event})


@login_required
@require_GET
def dossier_list(request: HttpRequest) -> HttpResponse:
    """The dossiers of the reader's scope, filtered by territory, status, category and days."""
    top = top_territory(request.user)
    if top is None or not can(request.user, VIEW, top):
        raise Http404
    form = DossierFilterForm(
        request.GET or None, territories=territories_where(request.user, Dossier, VIEW)
    )
    node, dossiers, by_category = top, [], []
    if not form.is_bound or form.is_valid():
        filters = dict(form.cleaned_data) if form.is_bound else {}
        node = filters.pop("territory", None) or top
        dossiers = dossier_ranking(actor=request.user, territory=node, **filters)[:200]
        by_category = concerns_by_category(actor=request.user, territory=node)
    context = {"node": node, "form": form, "dossiers": dossiers, "by_category": by_category}
    return render(request, "listening/dossier_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_visible_or_404(
        request.user, Dossier.objects.select_related("territory", "category"), pk=pk
    )
    may_change = can(request.user, CHANGE, dossier)
    form = DossierStatusForm(
        request.POST if "status" in request.POST else None,
        initial={"status": dossier.status, "answer": dossier.answer},
    )
    if request.method == "POST":
        if not may_change:
            raise Http404
        try:
            if "handover" in request.POST:
                chosen = list(Mandate.objects.filter(pk__in=request.POST.getlist("mandates")))
                dossier_handover(actor=request.user, dossier=dossier, mandates=chosen)
                names = join_list(str(mandate.person) for mandate in chosen)
                messages.success(
                    request, _("The dossier was handed to %(names)s.") % {"names": names}
                )
            elif form.is_valid():
                dossier_advance(actor=request.user, dossier=dossier, **form.cleaned_data)
                messages.success(
                    request,
                    _("The dossier was saved: %(status)s.")
                    % {"status": dossier.get_status_display()},
                )
            else:
                messages.error(
                    request, " ".join(e for errors in form.errors.values() for e in errors)
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("listening:dossier", pk=dossier.pk)
    concerns = visible_to(request.user, dossier.concerns.all())[:200]
    audit(request, "read_list", model=Concern, count=len(concerns))
    context = {
        "dossier": dossier,
        "may_change": may_change,
        "form": form,
        "concerns": concerns,
        "count": dossier.concerns.count(),
        "elected": mandates_for(dossier) if may_change else [],
        "changes": dossier.changes.select_related("by"),
    }
    return render(request, "listening/dossier_detail.html", context)

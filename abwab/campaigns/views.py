"""Campaign pages: progress against targets with drill-down, splitting targets, office events."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.campaigns.models import Campaign, Event, EventStatus, Target
from abwab.campaigns.selectors import (
    campaign_drilldown,
    campaign_progress,
    event_roster,
    readiness_by_event,
    readiness_percent,
)
from abwab.campaigns.services import NEXT_STATUS, event_transition, readiness_update, shift_add
from abwab.campaigns.targets import SPLIT_FIELDS, split_children, targets_split
from abwab.core.scope import CHANGE, can, get_visible_or_404, top_territory, visible_to
from abwab.people.models import Person
from abwab.territory.models import Territory


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = visible_to(request.user, Campaign.objects.all())
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a territory stands against its targets, its children one click below."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    code = request.GET.get("territory")
    node = (
        get_visible_or_404(request.user, Territory, code=code)
        if code
        else top_territory(request.user)
    )
    if node is None:
        return render(request, "campaigns/campaign_detail.html", {"campaign": campaign})
    context = {
        "campaign": campaign,
        "node": node,
        "progress": campaign_progress(actor=request.user, campaign=campaign, territory=node),
        "children": campaign_drilldown(actor=request.user, campaign=campaign, territory=node),
        "events": readiness_by_event(actor=request.user, campaign=campaign, territory=node)[:100],
        "may_split": visible_to(
            request.user, Target.objects.filter(campaign=campaign, territory=node), CHANGE
        ).exists(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def target_split(request: HttpRequest, pk: int, territory_pk: int) -> HttpResponse:
    """Split the target a territory received over its children, by hand or by population."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    node = get_visible_or_404(request.user, Territory, pk=territory_pk)
    target = get_visible_or_404(request.user, Target, CHANGE, campaign=campaign, territory=node)
    children = list(split_children(node))
    current = {t.territory_id: t for t in Target.objects.filter(campaign=campaign, parent=target)}
    errors: list[str] = []
    if request.method == "POST":
        try:
            if "by_population" in request.POST:
                targets_split(actor=request.user, campaign=campaign, territory=node)
            else:
                allocations = {
                    child.code: {
                        field: int(request.POST.get(f"{field}-{child.code}") or 0)
                        for field in SPLIT_FIELDS
                    }
                    for child in children
                }
                targets_split(
                    actor=request.user, campaign=campaign, territory=node, allocations=allocations
                )
        except ValueError:
            errors.append(_("Every share must be a whole number."))
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            messages.success(request, _("Target split."))
            return redirect(f"{request.path}")
    rows = [(child, current.get(child.pk)) for child in children]
    return render(
        request,
        "campaigns/target_split.html",
        {
            "campaign": campaign,
            "node": node,
            "target": target,
            "rows": rows,
            "errors": errors,
            "posted": request.POST,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An office's event: readiness checklist and status, for the secretariats above it."""
    event = get_visible_or_404(
        request.user, Event.objects.select_related("office__territory", "campaign"), pk=pk
    )
    may_change = can(request.user, CHANGE, event)
    if request.method == "POST" and may_change:
        try:
            if request.POST.get("action") == "shift":
                volunteer = get_visible_or_404(
                    request.user, Person, pk=request.POST.get("volunteer")
                )
                shift_add(
                    actor=request.user,
                    event=event,
                    volunteer=volunteer,
                    day=datetime.date.fromisoformat(request.POST["day"]),
                    starts_at=datetime.time.fromisoformat(request.POST["starts_at"]),
                    ends_at=datetime.time.fromisoformat(request.POST["ends_at"]),
                )
                return redirect("campaigns:event", pk=event.pk)
            if status := request.POST.get("to_status"):
                event_transition(actor=request.user, event=event, to_status=status)
            for item in event.items.all():
                values = {
                    f: request.POST.get(f"{f}-{item.pk}")
                    for f in ("needed", "allocated", "delivered")
                }
                if any(values.values()):
                    readiness_update(
                        actor=request.user, item=item, **{k: int(v) for k, v in values.items() if v}
                    )
        except (ValidationError, ValueError) as error:
            messages.error(
                request,
                " ".join(getattr(error, "messages", [_("Every quantity must be a whole number.")])),
            )
        return redirect("campaigns:event", pk=event.pk)
    items = list(event.items.all())
    context = {
        "event": event,
        "items": items,
        "readiness": readiness_percent(items),
        "may_change": may_change,
        "next_statuses": [EventStatus(s) for s in sorted(NEXT_STATUS[event.status])],
        "transitions": event.transitions.select_related("by"),
        "roster": event_roster(actor=request.user, event=event),
        "candidates": visible_to(
            request.user, Person.objects.live().filter(memberships__office=event.office)
        ).order_by("last_name_ar")[:300]
        if may_change
        else [],
    }
    return render(request, "campaigns/event_detail.html", context)

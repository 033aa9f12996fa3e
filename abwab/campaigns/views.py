"""Campaign pages: progress against targets with drill-down, splitting targets, office events."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from abwab.campaigns.forms import LocalGoalForm
from abwab.campaigns.models import (
    Campaign,
    CampaignAcknowledgement,
    CheckIn,
    Event,
    EventStatus,
    LocalGoal,
    Supplier,
    Target,
)
from abwab.campaigns.selectors import (
    campaign_slots,
    event_roster,
    late_items,
    place_progress,
    readiness_by_event,
    readiness_percent,
)
from abwab.campaigns.services import (
    NEXT_STATUS,
    event_transition,
    readiness_item_add,
    readiness_update,
    secretariat_places,
    shift_add,
)
from abwab.campaigns.targets import (
    METHODS,
    SPLIT_FIELDS,
    Method,
    split_slots,
    target_of,
    targets_split,
    unit_split_parent,
)
from abwab.campaigns.views_plan import ack_places, place_key
from abwab.core.audit import audit
from abwab.core.scope import (
    CHANGE,
    VIEW,
    can,
    can_add,
    get_visible_or_404,
    top_territory,
    visible_parent,
    visible_to,
)
from abwab.people.models import Person
from abwab.territory.models import Level, Office, PartyUnit, Territory


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = visible_to(request.user, Campaign.objects.all())
    nation = Territory.objects.get(level=Level.NATION)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "may_create": can_add(request.user, Campaign, path=nation.path)},
    )


def _place(request: HttpRequest):
    """The node or party unit a campaign page is asked about (404 outside the scope)."""
    if unit_code := request.GET.get("unit"):
        return get_visible_or_404(request.user, PartyUnit, code=unit_code)
    code = request.GET.get("territory")
    if code:
        return get_visible_or_404(request.user, Territory, code=code)
    places = secretariat_places(request.user)
    if places and all(isinstance(place, PartyUnit) for place in places):
        return places[0]  # a unit's secretary starts at the unit, not at one of its nodes
    return top_territory(request.user)


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign with its memo; where a place stands against its targets, every place below it
    with what it was given, whether it acknowledged, and its progress; late items; events."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    if request.GET.get("download") == "memo":
        if not campaign.memo_file:
            raise Http404
        return FileResponse(
            campaign.memo_file.open("rb"),
            as_attachment=True,
            filename=campaign.memo_file.name.rsplit("/", 1)[-1],
        )
    place = _place(request)
    context = {
        "campaign": campaign,
        "may_admin": can(request.user, CHANGE, campaign),
        "ack_places": ack_places(request.user, campaign),
        "acks_count": visible_to(
            request.user, CampaignAcknowledgement.objects.filter(campaign=campaign)
        ).count(),
    }
    if place is None:
        return render(request, "campaigns/campaign_detail.html", context)
    unit = place if isinstance(place, PartyUnit) else None
    territory = None if unit else place
    nodes = list(unit.territories.all()) if unit else [territory]
    goal_places = [
        p
        for p in secretariat_places(request.user)
        if isinstance(p, PartyUnit) or p.level in (Level.REGION, Level.PROVINCE)
    ]
    goals = [
        goal
        for goal in visible_to(
            request.user, LocalGoal.objects.filter(campaign=campaign)
        ).select_related("territory", "party_unit")
        if (unit and goal.party_unit_id == unit.pk)
        or (
            territory
            and goal.party_unit_id is None
            and (
                territory.path.startswith(goal.territory.path)
                or goal.territory.path.startswith(territory.path)
            )
        )
    ]
    target = target_of(campaign, place)
    context.update(
        {
            "place": place,
            "unit": unit,
            "node": territory or unit.anchor,
            "parent_code": (
                visible_parent(request.user, territory).code
                if territory and visible_parent(request.user, territory)
                else unit_split_parent(unit).code
                if unit and can(request.user, VIEW, unit_split_parent(unit))
                else None
            ),
            "target": target,
            "progress": place_progress(actor=request.user, campaign=campaign, place=place),
            "rows": campaign_slots(
                actor=request.user, campaign=campaign, territory=territory, party_unit=unit
            ),
            "late": [
                item
                for node in nodes
                for item in late_items(actor=request.user, campaign=campaign, territory=node)
            ][:100],
            "events": [
                row
                for node in nodes
                for row in readiness_by_event(actor=request.user, campaign=campaign, territory=node)
            ][:100],
            "may_split": target is not None and can(request.user, CHANGE, target),
            "may_plan": visible_to(request.user, Office.objects.all(), CHANGE).exists(),
            "goals": goals,
            "goal_form": LocalGoalForm(places=[(place_key(p), str(p)) for p in goal_places])
            if goal_places and campaign.status != "closed"
            else None,
            "groups": GROUP_LABELS,
        }
    )
    return render(request, "campaigns/campaign_detail.html", context)


GROUP_LABELS = [
    ("new_members", gettext_lazy("New members")),
    ("women", gettext_lazy("Women")),
    ("youth", gettext_lazy("Youth (under 35)")),
    ("professionals", gettext_lazy("Professionals and cadres")),
    ("visitors", gettext_lazy("Visitors")),
]


@login_required
@require_http_methods(["GET", "POST"])
def target_split(request: HttpRequest, pk: int, territory_pk: int) -> HttpResponse:
    """Split the target a territory (or, with ?unit=, a party unit) received over every place below
    it: by hand, by population, by the last campaign's result or by members per thousand."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    unit = None
    if unit_code := request.GET.get("unit"):
        # A unit's secretary sees the unit, not necessarily the node it is anchored at.
        unit = get_visible_or_404(
            request.user, PartyUnit.objects.select_related("anchor"), code=unit_code
        )
        if unit.anchor_id != territory_pk:
            raise Http404
        node = unit.anchor
        target = get_visible_or_404(
            request.user, Target, CHANGE, campaign=campaign, party_unit=unit
        )
    else:
        node = get_visible_or_404(request.user, Territory, pk=territory_pk)
        target = get_visible_or_404(
            request.user, Target, CHANGE, campaign=campaign, territory=node, party_unit=None
        )
    territory = None if unit else node
    slots = split_slots(territory=territory, unit=unit)
    errors: list[str] = []
    if request.method == "POST":
        try:
            method = request.POST.get("method", "")
            if method and method != Method.HAND:
                if method not in dict(METHODS):
                    raise ValidationError(_("Unknown way of splitting."))
                targets_split(
                    actor=request.user,
                    campaign=campaign,
                    territory=territory,
                    party_unit=unit,
                    method=method,
                )
            else:
                allocations = {
                    slot.key: {
                        name: int(request.POST.get(f"{name}-{slot.key}") or 0)
                        for name in SPLIT_FIELDS
                    }
                    for slot in slots
                }
                targets_split(
                    actor=request.user,
                    campaign=campaign,
                    territory=territory,
                    party_unit=unit,
                    allocations=allocations,
                )
        except ValueError:
            errors.append(_("Every share must be a whole number."))
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            audit(request, "target.split", target)
            messages.success(request, _("Target split."))
            return redirect(request.get_full_path())
    current = {(t.territory_id, t.party_unit_id): t for t in target.children.all()}
    rows = [
        (
            slot,
            [
                (
                    name,
                    label,
                    getattr(
                        current.get((slot.territory.pk, slot.unit.pk if slot.unit else None)),
                        name,
                        0,
                    ),
                )
                for name, label in GROUP_LABELS
            ],
        )
        for slot in slots
    ]
    given = [(name, label, getattr(target, name)) for name, label in GROUP_LABELS]
    promised = [
        (name, label, sum(getattr(t, name) for t in current.values()))
        for name, label in GROUP_LABELS
    ]
    return render(
        request,
        "campaigns/target_split.html",
        {
            "campaign": campaign,
            "place": unit or node,
            "unit": unit,
            "node": node,
            "target": target,
            "rows": rows,
            "given": given,
            "promised": list(zip(given, promised, strict=True)),
            "errors": errors,
            "methods": METHODS,
        },
    )


def _supplier(value: str) -> str:
    if value and value not in Supplier.values:
        raise ValidationError(_("Choose who supplies the item."))
    return value


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
            if request.POST.get("action") == "add_item":
                readiness_item_add(
                    actor=request.user,
                    event=event,
                    label=request.POST.get("label", ""),
                    needed=int(request.POST.get("needed") or 0),
                    supplier=_supplier(request.POST.get("supplier", "")),
                )
                audit(request, "event.item", event)
                return redirect("campaigns:event", pk=event.pk)
            for item in event.items.all():
                values = {
                    f: request.POST.get(f"{f}-{item.pk}")
                    for f in ("needed", "allocated", "delivered")
                }
                supplier = request.POST.get(f"supplier-{item.pk}")
                if any(values.values()) or supplier is not None:
                    readiness_update(
                        actor=request.user,
                        item=item,
                        supplier=_supplier(supplier) if supplier is not None else None,
                        **{k: int(v) for k, v in values.items() if v},
                    )
            if status := request.POST.get("to_status"):
                event_transition(actor=request.user, event=event, to_status=status)
            audit(request, "event.readiness", event)
            messages.success(request, _("Saved."))
        except (ValidationError, ValueError) as error:
            messages.error(
                request,
                " ".join(getattr(error, "messages", [_("Every quantity must be a whole number.")])),
            )
        return redirect("campaigns:event", pk=event.pk)
    items = list(event.items.all())
    territory = event.office.territory
    provinces = [
        node
        for node in [*territory.ancestors(), territory]
        if node.level == Level.PROVINCE and can(request.user, CHANGE, event)
    ]
    context = {
        "suppliers": Supplier.choices,
        "copy_to": provinces[:1],
        "late_on": event.starts_on - datetime.timedelta(days=event.campaign.lead_days),
        "event": event,
        "items": items,
        "readiness": readiness_percent(items),
        "may_change": may_change,
        # The door desk's own gate (views_door.desk_event): media officers and auditors see the
        # event, not its desk, so they are not offered the link.
        "may_keep_desk": can_add(
            request.user, CheckIn, path=event.office.territory.path, office_id=event.office_id
        ),
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

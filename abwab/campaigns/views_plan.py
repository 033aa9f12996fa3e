"""Running a campaign from the screen: create and launch it, acknowledge it, add local goals, keep the
memo's readiness list, plan events at offices and copy a plan to a whole province."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from abwab.campaigns.forms import (
    CampaignForm,
    CampaignPublicForm,
    EventForm,
    EventPublicForm,
    LocalGoalForm,
)
from abwab.campaigns.models import Campaign, CampaignItem, CampaignStatus, Event, ItemKind, Supplier
from abwab.campaigns.services import (
    campaign_acknowledge,
    campaign_create,
    campaign_item_set,
    campaign_set_status,
    campaign_update,
    event_copy_to_province,
    event_plan,
    event_public_set,
    local_goal_add,
    secretariat_places,
)
from abwab.campaigns.targets import target_set_top
from abwab.core.audit import audit
from abwab.core.scope import CHANGE, can, can_add, get_visible_or_404, visible_to
from abwab.people.models import Person
from abwab.territory.models import Level, Office, PartyUnit, Territory

GROUPS = ("new_members", "women", "youth", "professionals", "visitors")


def place_key(place) -> str:
    return f"unit:{place.code}" if isinstance(place, PartyUnit) else place.code


def place_from_key(actor, key: str):
    """The actor's own secretariat place named by a posted key; 404 for anything else."""
    for place in secretariat_places(actor):
        if place_key(place) == key:
            return place
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    """The national level writes a campaign: memo, goals, dates and its targets for every group."""
    nation = Territory.objects.get(level=Level.NATION)
    if not can_add(request.user, Campaign, path=nation.path):
        raise Http404
    form = CampaignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                actor=request.user,
                **{k: data[k] for k in ("name_ar", "name_fr", "starts_on", "ends_on", "memo_ar")},
                **{k: data[k] for k in ("memo_fr", "goals_ar", "goals_fr", "lead_days")},
                **{k: data[k] for k in ("public_intro_ar", "public_intro_fr")},
                memo_file=data["memo_file"],
            )
            target_set_top(actor=request.user, campaign=campaign, **{k: data[k] for k in GROUPS})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(request, "campaign.create", campaign)
            messages.success(request, _("Campaign created, in draft until you launch it."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
@require_POST
def campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Launch or close a campaign (its administrators only)."""
    campaign = get_visible_or_404(request.user, Campaign, CHANGE, pk=pk)
    status = request.POST.get("status", "")
    if status not in CampaignStatus.values:
        raise Http404
    try:
        campaign_set_status(actor=request.user, campaign=campaign, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit(request, f"campaign.{status}", campaign)
        messages.success(
            request, _("Campaign: %(status)s.") % {"status": CampaignStatus(status).label}
        )
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_ack(request: HttpRequest, pk: int) -> HttpResponse:
    """A secretariat acknowledges the launched campaign and its memo."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    place = place_from_key(request.user, request.POST.get("place", ""))
    try:
        ack = campaign_acknowledge(actor=request.user, campaign=campaign, place=place)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit(request, "campaign.acknowledge", ack)
        messages.success(request, _("Acknowledged for %(place)s.") % {"place": place})
    return redirect(reverse("campaigns:detail", args=[campaign.pk]) + f"?{_place_query(place)}")


def _place_query(place) -> str:
    return f"unit={place.code}" if isinstance(place, PartyUnit) else f"territory={place.code}"


@login_required
@require_POST
def campaign_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """A region or province adds its own goal and dates inside the campaign."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    place = place_from_key(request.user, request.POST.get("place", ""))
    form = LocalGoalForm(request.POST, places=[(place_key(place), str(place))])
    if form.is_valid():
        data = form.cleaned_data
        try:
            goal = local_goal_add(
                actor=request.user,
                campaign=campaign,
                place=place,
                **{k: data[k] for k in ("text_ar", "text_fr", "starts_on", "ends_on")},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            audit(request, "campaign.goal", goal)
            messages.success(request, _("Goal added."))
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect(reverse("campaigns:detail", args=[campaign.pk]) + f"?{_place_query(place)}")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_items(request: HttpRequest, pk: int) -> HttpResponse:
    """The memo's readiness list: what every event needs, and who supplies it."""
    campaign = get_visible_or_404(request.user, Campaign, CHANGE, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "add":
                kind = request.POST.get("kind", "")
                if kind not in ItemKind.values:
                    raise ValidationError(_("Choose an item."))
                item = campaign_item_set(
                    actor=request.user,
                    campaign=campaign,
                    kind=kind,
                    label=request.POST.get("label", ""),
                    needed=int(request.POST.get("needed") or 0),
                    supplier=request.POST.get("supplier", ""),
                )
                audit(request, "campaign.item", item)
            else:
                for item in campaign.items.all():
                    needed = request.POST.get(f"needed-{item.pk}")
                    if needed:
                        campaign_item_set(
                            actor=request.user,
                            campaign=campaign,
                            kind=item.kind,
                            label=item.label,
                            needed=int(needed),
                            supplier=request.POST.get(f"supplier-{item.pk}", item.supplier),
                        )
                audit(request, "campaign.items", campaign)
        except ValueError:
            messages.error(request, _("Every quantity must be a whole number."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Readiness list saved."))
        return redirect("campaigns:items", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_items.html",
        {
            "campaign": campaign,
            "items": CampaignItem.objects.filter(campaign=campaign),
            "kinds": ItemKind.choices,
            "suppliers": Supplier.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan an office's open days: dates, hours, supervisor; the readiness list follows the memo."""
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    offices = visible_to(request.user, Office.objects.all(), CHANGE).exclude(
        events__campaign=campaign
    )
    people = visible_to(request.user, Person.objects.live()).order_by("last_name_ar")
    form = EventForm(
        request.POST or None,
        offices=offices.select_related("territory").order_by("territory__path", "name_fr"),
        people=people,
        initial={
            "office": request.GET.get("office"),
            "starts_on": campaign.starts_on,
            "ends_on": campaign.starts_on,
        },
    )
    if request.method == "POST":
        # An office or supervisor outside the scope is not among the choices: 404, nothing saved.
        for name in ("office", "supervisor"):
            if request.POST.get(name) and name in form.errors:
                raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            event = event_plan(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(request, "event.plan", event)
            messages.success(request, _("Event planned."))
            return redirect("campaigns:event", pk=event.pk)
    return render(request, "campaigns/event_form.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether the event is on the public pages and whether they give its address."""
    event = get_visible_or_404(
        request.user, Event.objects.select_related("office", "campaign"), CHANGE, pk=pk
    )
    form = EventPublicForm(
        request.POST or None,
        initial={"public": event.public, "address_on_request": event.address_on_request},
    )
    if request.method == "POST" and form.is_valid():
        event_public_set(actor=request.user, event=event, **form.cleaned_data)
        audit(request, "event.update", event)
        messages.success(request, _("Saved."))
        return redirect("campaigns:event", pk=event.pk)
    return render(request, "campaigns/event_public.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's presentation to citizens on the public pages (its administrators)."""
    campaign = get_visible_or_404(request.user, Campaign, CHANGE, pk=pk)
    form = CampaignPublicForm(
        request.POST or None,
        initial={
            "public_intro_ar": campaign.public_intro_ar,
            "public_intro_fr": campaign.public_intro_fr,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            audit(request, "campaign.update", campaign)
            messages.success(request, _("Saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_public.html", {"campaign": campaign, "form": form})


@login_required
@require_POST
def event_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy an event's plan to every office of a province that has none yet, in one step."""
    event = get_visible_or_404(request.user, Event, CHANGE, pk=pk)
    province = get_visible_or_404(request.user, Territory, code=request.POST.get("province", ""))
    if not can_add(request.user, Office, path=province.path):
        raise Http404
    try:
        created = event_copy_to_province(actor=request.user, event=event, province=province)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit(request, "event.copy", event, count=len(created))
        messages.success(
            request,
            _("Plan copied to %(count)d offices of %(province)s.")
            % {"count": len(created), "province": province},
        )
    return redirect("campaigns:event", pk=event.pk)


def ack_places(actor, campaign: Campaign) -> list:
    """The actor's secretariat places that have not acknowledged the launched campaign yet."""
    if campaign.status != CampaignStatus.LAUNCHED:
        return []
    done = {(ack.territory_id, ack.party_unit_id) for ack in campaign.acks.all()}
    return [
        place
        for place in secretariat_places(actor)
        if ((place.anchor_id, place.pk) if isinstance(place, PartyUnit) else (place.pk, None))
        not in done
        and can(actor, "view", campaign)
    ]

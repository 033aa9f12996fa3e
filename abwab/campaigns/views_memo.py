"""The memo's sending page (send it to the secretariats below, remind those who have not read it,
see who has) and the office holder's read link (no login: the signed link is the key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from abwab.campaigns.memo import (
    memo_cost,
    memo_mark_read,
    memo_readings,
    memo_send,
    office_holders_below,
    reading_from_token,
)
from abwab.campaigns.models import Campaign
from abwab.core.audit import audit
from abwab.core.scope import can_add, get_visible_or_404, territory_or_404


@login_required
@require_http_methods(["GET", "POST"])
def campaign_memo(request: HttpRequest, pk: int) -> HttpResponse:
    from abwab.messaging.models import Send

    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    code = request.POST.get("territory") or request.GET.get("territory")
    node = territory_or_404(request.user, code)
    if not can_add(request.user, Send, path=node.path):
        raise Http404  # only the secretaries (and the administrators) send the memo down
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            send = memo_send(
                actor=request.user,
                campaign=campaign,
                node=node,
                base_url=request.build_absolute_uri("/"),
                reminder=action == "remind",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if send is None:
                messages.info(request, _("Nobody to write to: everyone has read the memo."))
            else:
                messages.success(request, _("The memo is being sent."))
        return redirect(f"{request.path}?territory={node.code}")
    readings = list(memo_readings(actor=request.user, campaign=campaign, node=node))
    audit(request, "read_list", model=Campaign, count=len(readings))
    context = {
        "campaign": campaign,
        "node": node,
        "readings": readings,
        "read": sum(1 for r in readings if r.read_at),
        "holders": office_holders_below(actor=request.user, node=node).count(),
        "cost": memo_cost(
            actor=request.user,
            campaign=campaign,
            node=node,
            base_url=request.build_absolute_uri("/"),
        ),
    }
    return render(request, "campaigns/campaign_memo.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def memo_read(request: HttpRequest, token: str) -> HttpResponse:
    reading = reading_from_token(token)
    if reading is None:
        raise Http404
    if request.method == "POST":
        reading = memo_mark_read(reading=reading)
    response = render(
        request,
        "campaigns/memo_read.html",
        {"reading": reading, "campaign": reading.campaign, "saved": request.method == "POST"},
    )
    response["Referrer-Policy"] = "same-origin"  # the token stays out of other sites' logs
    response["X-Robots-Tag"] = "noindex"
    return response

"""The compose screen: a message to the members the list's filters chose (AR/FR texts, channels),
a preview per language, the SMS cost, a test send to oneself, then the send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.core.scope import get_visible_or_404
from abwab.messaging.compose import (
    PLACEHOLDERS,
    fill,
    members_chosen,
    members_cost,
    members_send,
    send_territory,
    test_send,
)
from abwab.people.forms import PersonSearchForm
from abwab.territory.models import Territory


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    territory = None
    if code := filters.get("territory"):
        territory = get_visible_or_404(request.user, Territory, code=code)
    node = send_territory(actor=request.user, territory=territory)
    if node is None:
        raise Http404  # volunteers, media officers and auditors do not send to members
    people = members_chosen(actor=request.user, filters=filters, territory=territory)
    data = {
        key: request.POST.get(key, "") for key in ("subject_ar", "subject_fr", "body_ar", "body_fr")
    }
    data["by_email"] = request.POST.get("by_email") == "on"
    data["by_sms"] = request.POST.get("by_sms") == "on"
    action = request.POST.get("action", "") if request.method == "POST" else ""
    try:
        if action == "send":
            send = members_send(
                actor=request.user,
                territory=node,
                people=people,
                filters={**filters, "territory": node.code},
                data=data,
            )
            messages.success(request, _("The message is being sent."))
            return redirect("messaging:send", pk=send.pk)
        if action == "test":
            if test_send(actor=request.user, territory=node, data=data) is None:
                messages.error(request, _("Your account has no email address for the test."))
            else:
                messages.success(request, _("A test was sent to your email address."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    count = people.count()
    context = {
        "form": form,
        "node": node,
        "count": count,
        "data": data,
        "query": request.GET.urlencode(),
        "placeholders": PLACEHOLDERS,
        "previews": [
            (language, fill(data[f"subject_{language}"]), fill(data[f"body_{language}"]))
            for language in ("ar", "fr")
            if data[f"body_{language}"].strip()
        ]
        if action
        else [],
        "costs": members_cost(people=people, data=data) if action else [],
        "first": not action and request.method == "GET",
    }
    return render(request, "messaging/compose.html", context)

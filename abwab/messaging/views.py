"""The engine's pages: one-click unsubscribe (public, RFC 8058) and a send's progress (scoped)."""

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from abwab.core.audit import audit
from abwab.core.language import public_language
from abwab.core.scope import CHANGE, can, get_visible_or_404
from abwab.messaging import engine
from abwab.messaging.consent import consent_in_force, consent_withdraw_by_link
from abwab.messaging.email import unsubscribe_read
from abwab.messaging.models import MessageStatus, Send, SendStatus
from abwab.messaging.selectors import reason_label, send_messages
from abwab.people.models import ConsentMedium, ConsentPurpose


def _labels(purpose: str, medium: str) -> dict:
    return {
        "purpose": ConsentPurpose(purpose).label if purpose in ConsentPurpose.values else "",
        "medium": ConsentMedium(medium).label if medium in ConsentMedium.values else "",
    }


# The mail client's one-click POST carries no CSRF token (RFC 8058 section 3.2): the signed token
# in the address is what authorises it, and it can do one thing only, withdraw that consent.
@csrf_exempt
@public_language
def unsubscribe(request, token: str):
    """GET: ask to confirm; POST (our button or the mail client's one click): withdraw at once."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        person_id, purpose, medium = unsubscribe_read(token)
    except signing.SignatureExpired:
        return render(request, "messaging/unsubscribe.html", {"state": "expired"}, status=400)
    except signing.BadSignature:
        return render(request, "messaging/unsubscribe.html", {"state": "invalid"}, status=400)
    context = {"token": token, **_labels(purpose, medium)}
    if request.method == "POST":
        consent_withdraw_by_link(person_id=person_id, purpose=purpose, medium=medium)
        return render(request, "messaging/unsubscribe.html", {**context, "state": "done"})
    in_force = consent_in_force(person_id=person_id, purpose=purpose, medium=medium)
    return render(
        request,
        "messaging/unsubscribe.html",
        {**context, "state": "confirm" if in_force else "already"},
    )


@login_required
def send_detail(request, pk: int):
    """Who sent what to how many, and what became of each recipient (with the reason)."""
    send = get_visible_or_404(request.user, Send.objects.select_related("created_by"), pk=pk)
    status = request.GET.get("status", "")
    page = Paginator(send_messages(actor=request.user, send=send, status=status), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    for message in page.object_list:
        message.reason = reason_label(message.last_error)
    if not request.headers.get("HX-Request"):  # the page's own refresh of its counters
        audit(request, "read_list", send, count=len(page.object_list))
    return render(
        request,
        "messaging/send_detail.html",
        {
            "send": send,
            "page": page,
            "status": status,
            "statuses": MessageStatus.choices,
            "may_change": can(request.user, CHANGE, send),
            "running": send.status in (SendStatus.QUEUED, SendStatus.RUNNING),
            "resumable": send.status in (SendStatus.PAUSED, SendStatus.QUEUED, SendStatus.RUNNING),
        },
    )


@login_required
@require_POST
def send_control(request, pk: int, action: str):
    """Pause or resume a send (its territory's secretaries)."""
    send = get_visible_or_404(request.user, Send, CHANGE, pk=pk)
    service = engine.send_pause if action == "pause" else engine.send_resume
    try:
        service(actor=request.user, send=send)
    except ValidationError as error:
        from django.contrib import messages

        messages.error(request, " ".join(error.messages))
    return redirect("messaging:send", pk=send.pk)

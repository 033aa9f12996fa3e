"""The offline door desk: an installable page, its service worker and its manifest.

The page works without a connection once opened: the service worker keeps it and its assets, the
script keeps entries sealed to the server's key in the device's IndexedDB and sends them to the
sync API when the connection returns (see door-offline.js and campaigns.sealing)."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from abwab.campaigns.door import desk_communes
from abwab.campaigns.forms import CheckInForm, SignUpForm
from abwab.campaigns.sealing import public_key
from abwab.campaigns.views_door import desk_event

# What the desk needs to start without a connection, besides its own page.
SHELL = ("abwab/app.css", "campaigns/door-offline.js", "campaigns/door-192.png")


def _texts() -> dict:
    """The script's words, in the page's language (the script has no catalogue of its own)."""
    return {
        "online": _("Online: entries are sent at once."),
        "offline": _("Offline: entries are kept sealed on this device and sent later."),
        "syncing": _("Sending…"),
        "signin": _("Your session has ended: sign in again to send the waiting entries."),
        "unsupported": _("This browser cannot keep entries offline: use the online desk."),
        "kept": _("Kept on this device, waiting to be sent."),
        "refused": _("Refused"),
        "dismiss": _("Entered again: remove"),
        "expired": _("%(n)s entries were wiped unsent after their lifetime."),
        "stored": _("%(n)s entries sent and stored."),
        "name_needed": _("Enter the visitor's name."),
        "consent_needed": _("A sign-up needs the person's consent."),
        "checkin": _("Visit"),
        "signup": _("Sign-up"),
    }


@login_required
@require_GET
def door_offline(request: HttpRequest, pk: int) -> HttpResponse:
    event = desk_event(request, pk)
    communes = desk_communes(event)
    desk = {
        "event": event.pk,
        "sync": reverse("api:sync_entries", kwargs={"event_id": event.pk}),
        "worker": reverse("campaigns:door_sw"),
        "scope": reverse("campaigns:list"),
        "login": f"{reverse('accounts:login')}?next={request.path}",
        "key": public_key(),
        "codes": {str(pk): code for pk, code in communes.values_list("pk", "code")},
        "hours": settings.DOOR_QUEUE_HOURS,
        "texts": _texts(),
    }
    context = {
        "event": event,
        "desk": desk,
        "hours": settings.DOOR_QUEUE_HOURS,
        "form": CheckInForm(communes=communes, initial={"territory": event.office.territory}),
        "signup": SignUpForm(prefix="signup"),
    }
    return render(request, "campaigns/door_offline.html", context)


@login_required
@require_GET
def door_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    event = desk_event(request, pk)
    manifest = {
        "name": _("Abwab door desk — %(office)s") % {"office": event.office},
        "short_name": _("Door desk"),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("campaigns:door_offline", args=[event.pk]),
        "scope": reverse("campaigns:list"),
        "display": "standalone",
        "background_color": "#f4efe4",
        "theme_color": "#1d6b4f",
        "icons": [
            {
                "src": static(f"campaigns/door-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_GET
@never_cache
def door_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with the shell's current asset URLs (hashed names in production)."""
    shell = [static(name) for name in SHELL]
    version = hashlib.sha256(json.dumps(shell).encode()).hexdigest()[:12]
    response = render(
        request,
        "campaigns/door-sw.js",
        {"shell_json": json.dumps(shell), "version": version},
        content_type="text/javascript",
    )
    response["Service-Worker-Allowed"] = reverse("campaigns:list")
    return response

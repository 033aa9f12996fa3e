"""Abwab's URLs plus ``/bench/ping`` (benchmark servers only, see bench/server_settings.py)."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from abwab.urls import urlpatterns as abwab_urlpatterns


@require_GET
def ping(request):
    """The trivial JSON endpoint: the whole middleware stack, no database."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/ping", ping), *abwab_urlpatterns]

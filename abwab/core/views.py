"""The home page: the user's scope and its sub-territories; and a health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from abwab.core.models import Job
from abwab.core.scope import get_visible_or_404
from abwab.core.selectors import open_events, scope_summary


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "scopes": scope_summary(actor=request.user),
        "open_events": open_events(actor=request.user),
    }
    return render(request, "core/home.html", context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the reverse proxy: the process answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's page; its progress block polls itself until the job has finished."""
    job = get_visible_or_404(request.user, Job, pk=pk)
    template = (
        "core/_job_progress.html" if request.headers.get("HX-Request") else "core/job_detail.html"
    )
    return render(request, template, {"job": job})

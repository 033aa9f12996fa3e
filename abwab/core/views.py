"""The home page: the user's scope and its sub-territories; and a health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from abwab.core.home import home_panels
from abwab.core.models import Job
from abwab.core.scope import get_visible_or_404
from abwab.core.selectors import scope_summary


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "scopes": scope_summary(actor=request.user),
        # Panels of the apps that own them (campaigns: the door desks open now), see core.home.
        "panels": home_panels(actor=request.user),
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


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log of the auditor's subtree, searchable by who, action, page and days."""
    from abwab.core.audit_labels import action_choices, action_label, object_label
    from abwab.core.forms import AuditFilterForm
    from abwab.core.models import AuditEntry
    from abwab.core.scope import visible_to
    from abwab.core.selectors import audit_entries

    if not _may_audit(request.user):
        raise Http404
    codes = (
        visible_to(request.user, AuditEntry.objects.all())
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    form = AuditFilterForm(request.GET or None, actions=action_choices(codes))
    entries = []
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        entries = list(audit_entries(actor=request.user, **filters)[:300])
    for entry in entries:
        entry.action_label = action_label(entry.action)
        entry.object_label = object_label(entry.object_type)
    return render(request, "core/audit_log.html", {"form": form, "entries": entries})


def _may_audit(user) -> bool:
    from abwab.core.policies import may_read_audit

    return may_read_audit(user)

"""Import pages: upload a member list, map its columns, check it, import it, roll it back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.core.jobs import job_start
from abwab.core.scope import CHANGE, can, get_visible_or_404, territories_where, visible_to
from abwab.people.import_lines import FIELD_LABELS
from abwab.people.imports import (
    FIELDS,
    TEMPLATE_KINDS,
    import_counts,
    import_template,
    import_upload,
    invalid_lines_csv,
)
from abwab.people.models import ImportBatch, ImportStatus, Person


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    territories = territories_where(request.user, Person).order_by("path")
    if not territories.exists():
        raise Http404
    if request.method == "POST":
        territory = territories.filter(code=request.POST.get("territory", "")).first()
        if territory is None or "file" not in request.FILES:
            messages.error(request, _("Choose a territory and a file."))
        else:
            try:
                batch = import_upload(
                    actor=request.user, territory=territory, upload=request.FILES["file"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return redirect("people:import", pk=batch.pk)
    batches = visible_to(request.user, ImportBatch.objects.select_related("territory"))[:50]
    return render(
        request,
        "people/import_list.html",
        {"batches": batches, "territories": territories.filter(level__lte=2)[:100]},
    )


@login_required
@require_http_methods(["GET"])
def import_template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The member list to fill in, headers in the reader's language, one invented example line."""
    territory = territories_where(request.user, Person).order_by("path").first()
    if territory is None or kind not in TEMPLATE_KINDS:
        raise Http404
    content = import_template(territory=territory, kind=kind)
    if kind == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="members-template.{kind}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_visible_or_404(request.user, ImportBatch.objects.select_related("territory"), pk=pk)
    if request.method == "POST":
        if not can(request.user, CHANGE, batch):
            raise Http404
        action = request.POST.get("action")
        if action == "check" and batch.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
            batch.mapping = {
                c: request.POST.get(f"map-{i}")
                for i, c in enumerate(batch.columns)
                if request.POST.get(f"map-{i}") in FIELDS
            }
            batch.save(update_fields=["mapping"])
            job = job_start(
                actor=request.user,
                kind="people.import_check",
                territory=batch.territory,
                params={"batch": batch.pk},
            )
            return redirect("core:job", pk=job.pk)
        if action == "import" and batch.status in (
            ImportStatus.CHECKED,
            ImportStatus.IMPORTING,
            ImportStatus.ROLLED_BACK,
        ):
            job = job_start(
                actor=request.user,
                kind="people.import_run",
                territory=batch.territory,
                params={"batch": batch.pk},
            )
            return redirect("core:job", pk=job.pk)
        if action == "rollback" and batch.status in (ImportStatus.DONE, ImportStatus.IMPORTING):
            job = job_start(
                actor=request.user,
                kind="people.import_rollback",
                territory=batch.territory,
                params={"batch": batch.pk},
            )
            return redirect("core:job", pk=job.pk)
        return redirect("people:import", pk=batch.pk)
    if request.GET.get("download") == "errors":
        response = HttpResponse(invalid_lines_csv(batch), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
        return response
    counts = import_counts(batch)
    context = {
        "batch": batch,
        "counts": counts,
        "fields": [(field, FIELD_LABELS[field]) for field in FIELDS],
        "may_change": can(request.user, CHANGE, batch),
        "columns": [(i, c, batch.mapping.get(c, "")) for i, c in enumerate(batch.columns)],
        "invalid": batch.rows.all()[:50],
    }
    return render(request, "people/import_detail.html", context)

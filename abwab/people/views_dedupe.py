"""The batch dedup screens: start a job over a territory, review its clusters, merge, undo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.core.jobs import job_start
from abwab.core.scope import CHANGE, can, get_visible_or_404, territories_where, visible_to
from abwab.people.merging import person_merge_undo
from abwab.people.models import ClusterStatus, DuplicateCluster, Person, PersonMerge
from abwab.people.review import cluster_dismiss, cluster_merge


@login_required
@require_http_methods(["GET", "POST"])
def cluster_list(request: HttpRequest) -> HttpResponse:
    """Open clusters in the actor's scope, and the button that starts a new search."""
    startable = territories_where(request.user, Person).order_by("path")
    if request.method == "POST":
        territory = startable.filter(code=request.POST.get("territory", "")).first()
        if territory is None:
            raise Http404
        job = job_start(actor=request.user, kind="people.dedupe", territory=territory)
        return redirect("core:job", pk=job.pk)
    clusters = visible_to(request.user, DuplicateCluster.objects.filter(status=ClusterStatus.OPEN))
    context = {
        "clusters": clusters.prefetch_related("people__territory")[:200],
        "count": clusters.count(),
        "startable": startable.filter(level__lte=2)[:50],
    }
    return render(request, "people/cluster_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cluster's records side by side; keep one and merge the others into it, or dismiss."""
    cluster = get_visible_or_404(request.user, DuplicateCluster, pk=pk)
    people = list(
        cluster.people.live().select_related("territory").prefetch_related("memberships", "skills")
    )
    if request.method == "POST":
        if not can(request.user, CHANGE, cluster):
            raise Http404
        try:
            if request.POST.get("action") == "dismiss":
                cluster_dismiss(actor=request.user, cluster=cluster)
                messages.success(request, _("Marked as different people."))
                return redirect("people:clusters")
            survivor = next((p for p in people if str(p.pk) == request.POST.get("survivor")), None)
            if survivor is None:
                raise ValidationError(_("Choose the record to keep."))
            cluster_merge(actor=request.user, cluster=cluster, survivor=survivor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Merged. The merge can be undone from the person's page."))
            return redirect("people:detail", pk=survivor.pk)
    return render(
        request,
        "people/cluster_detail.html",
        {"cluster": cluster, "people": people, "may_change": can(request.user, CHANGE, cluster)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then undo a merge."""
    merge = get_visible_or_404(
        request.user, PersonMerge.objects.select_related("survivor", "merged"), pk=pk
    )
    if request.method == "POST":
        merge = get_visible_or_404(request.user, PersonMerge, CHANGE, pk=pk)
        try:
            person_merge_undo(actor=request.user, merge=merge)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The merge was undone."))
        return redirect("people:detail", pk=merge.survivor_id)
    return render(request, "people/merge_undo.html", {"merge": merge})

"""Membership cards: one member's card at once; a list's cards as a background job whose sheet is
downloaded from the job's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from abwab.core.audit import audit
from abwab.core.models import Job, JobStatus
from abwab.core.roles import SECRETARIES
from abwab.core.scope import get_visible_or_404, roles, visible_to
from abwab.people.cards import PER_PAGE, card_data, cards_pdf
from abwab.people.cards_job import (
    KIND,
    MAX_CARDS,
    cards_file,
    cards_print_start,
    printable_memberships,
)
from abwab.people.forms import PersonSearchForm
from abwab.people.models import Membership, Person
from abwab.people.selectors import person_search_filtered
from abwab.territory.models import Territory


@login_required
@require_GET
def member_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One member's printable card (at the first place of a sheet)."""
    membership = get_visible_or_404(
        request.user, Membership.objects.select_related("person", "territory"), pk=pk
    )
    audit(request, "export", membership.person, reason="card")
    pdf = cards_pdf(card_data([membership], base_url=request.build_absolute_uri("/")))
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="card-{membership.card_number}.pdf"'},
    )


def _listed_people(request: HttpRequest):
    """The people of the members list as its filters (in the query string) select them."""
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    territory = None
    if code := filters.get("territory"):
        territory = visible_to(request.user, Territory.objects.filter(code=code)).first()
        if territory is None:
            raise Http404
    return person_search_filtered(actor=request.user, filters=filters, territory=territory)


def _chosen_people(request: HttpRequest, people):
    """Narrow to the people ticked by id in the form, if any. Every id must be one the actor may
    see: an id from another territory answers 404, as a missing one would, and nothing is queued."""
    raw = request.POST.getlist("person")
    if not raw:
        return people
    try:
        ids = {int(value) for value in raw}
    except ValueError as error:
        raise Http404 from error
    if any(pk > 2**63 - 1 or pk < 1 for pk in ids):  # past 64 bits SQLite cannot even be asked
        raise Http404
    chosen = people.filter(pk__in=ids)
    if chosen.count() != len(ids):
        raise Http404
    return chosen


@login_required
@require_http_methods(["GET", "POST"])
def cards_print(request: HttpRequest) -> HttpResponse:
    """How many cards the list makes, then (POST) a background job that lays out the sheet."""
    if not roles(request.user) & SECRETARIES:
        raise Http404  # secretaries print cards; a volunteer prints one member's card
    people = _listed_people(request)
    if request.method == "POST":
        chosen = _chosen_people(request, Person.objects.filter(pk__in=people.values("pk")))
        memberships = printable_memberships(actor=request.user, people=chosen)
        try:
            job = cards_print_start(
                actor=request.user,
                memberships=memberships,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("core:job", pk=job.pk)
    count = printable_memberships(actor=request.user, people=people).count()
    context = {
        "count": count,
        "pages": -(-count // PER_PAGE),
        "too_many": count > MAX_CARDS,
        "max_cards": MAX_CARDS,
        "recent": visible_to(
            request.user, Job.objects.filter(kind=KIND, created_by=request.user)
        ).select_related("territory")[:5],
    }
    return render(request, "people/cards_print.html", context)


@login_required
@require_GET
def cards_download(request: HttpRequest, pk: int) -> FileResponse:
    """The sheet of a finished card job, for whoever may see the job (its territory covers every
    card on it); the download is logged."""
    job = get_visible_or_404(
        request.user, Job.objects.filter(kind=KIND, status=JobStatus.DONE), pk=pk
    )
    if not job.result.get("file"):
        raise Http404  # an older sheet, deleted since
    audit(request, "export", model=Membership, count=job.result.get("cards", 0), reason="cards")
    return FileResponse(
        cards_file(job),
        as_attachment=True,
        filename=f"cards-{job.pk}.pdf",
        content_type="application/pdf",
    )

"""Law 09-08 pages: give a person their data (with the reason logged), anonymise them on request."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.accounts.twofactor import recent_authentication_required
from abwab.core.audit import audit
from abwab.core.roles import PERSONAL_DATA_READERS
from abwab.core.scope import CHANGE, get_visible_or_404, roles
from abwab.people.exports import csv_stream, export_header, export_rows, xlsx_file
from abwab.people.forms import PersonSearchForm
from abwab.people.models import Person
from abwab.people.privacy import person_anonymise, person_data


@login_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's data as a JSON file, for them (right of access); the reason is logged."""
    person = get_visible_or_404(request.user, Person.objects.live(), CHANGE, pk=pk)
    reason = request.POST.get("reason", "").strip()
    if request.method == "POST" and reason:
        audit(request, "export", person, reason=reason)
        body = json.dumps(person_data(person), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
        return response
    return render(
        request,
        "people/person_export.html",
        {"person": person, "missing_reason": request.method == "POST"},
    )


@login_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Anonymise a person in place, on their objection or erasure request."""
    person = get_visible_or_404(request.user, Person.objects.live(), CHANGE, pk=pk)
    if request.method == "POST":
        audit(request, "anonymise", person, reason=request.POST.get("reason", "")[:300])
        person_anonymise(actor=request.user, person=person)
        messages.success(request, _("The person was anonymised; the counts keep them."))
        return redirect("people:list")
    return render(request, "people/person_erase.html", {"person": person})


@login_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def members_export(request: HttpRequest) -> HttpResponse:
    """The members list (with the list's filters) as CSV or XLSX; the reason is logged."""
    if not roles(request.user) & PERSONAL_DATA_READERS:
        raise Http404  # volunteers and media officers do not export people
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reason = request.POST.get("reason", "").strip()
    kind = request.POST.get("format", "csv")
    if request.method == "POST" and reason and kind in ("csv", "xlsx"):
        audit(request, "export", model=Person, reason=f"{kind}: {reason}")
        query = {
            "query": filters.get("q", ""),
            "status": filters.get("status", ""),
            "gender": filters.get("gender", ""),
            "age_band": filters.get("age_band", ""),
        }
        rows = export_rows(actor=request.user, **query)
        if kind == "csv":
            response = StreamingHttpResponse(
                csv_stream(rows, export_header()), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="members.csv"'
            return response
        return FileResponse(
            xlsx_file(rows, export_header()), as_attachment=True, filename="members.xlsx"
        )
    return render(
        request,
        "people/members_export.html",
        {"form": form, "missing_reason": request.method == "POST"},
    )

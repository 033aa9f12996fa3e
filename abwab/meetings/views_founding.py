"""Founding a commune's local secretariat from the coverage work list: plan the founding meeting,
gather the founding members (found in scope or created), record the officers elected. Every id
posted (commune, supervisor, office, person) goes through the scope gate: 404 outside."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can, can_add, get_visible_or_404, visible_to
from abwab.meetings import founding as founding_services
from abwab.meetings.founding import OFFICERS
from abwab.meetings.models import Founding, FoundingStatus
from abwab.meetings.services import province_of
from abwab.people.models import Person
from abwab.people.officials.forms import NewPersonFields
from abwab.people.services import person_create
from abwab.territory.models import Office, Territory


def _commune(request: HttpRequest, code: str | None) -> Territory:
    """The commune asked about, where the user may found a secretariat (404 otherwise)."""
    commune = get_visible_or_404(request.user, Territory, code=code or "")
    if not can_add(request.user, Founding, path=commune.path):
        raise Http404
    return commune


def _when(value: str) -> datetime.datetime:
    starts_at = parse_datetime(value or "")
    if starts_at is None:
        raise ValidationError(_("Give the date and time of the meeting."), code=ErrorCode.NO_DATE)
    return timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at


def _offices(request: HttpRequest, commune: Territory):
    province = province_of(commune)
    offices = Office.objects.filter(territory__path__startswith=province.path)
    return visible_to(request.user, offices.select_related("territory"))[:100]


@login_required
@require_http_methods(["GET", "POST"])
def founding_new(request: HttpRequest) -> HttpResponse:
    """Plan the founding meeting of a commune's local secretariat: date, place, supervisor."""
    source = request.POST if request.method == "POST" else request.GET
    commune = _commune(request, source.get("commune"))
    status = 200
    if request.method == "POST":
        supervisor = request.POST.get("supervisor")
        office = request.POST.get("office")
        try:
            founding = founding_services.founding_plan(
                actor=request.user,
                commune=commune,
                starts_at=_when(request.POST.get("starts_at", "")),
                supervisor=get_visible_or_404(request.user, Person, pk=supervisor)
                if supervisor
                else None,
                office=get_visible_or_404(request.user, Office, pk=office) if office else None,
                place=request.POST.get("place", ""),
                place_fr=request.POST.get("place_fr", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 422
        else:
            audit(request, "founding.plan", founding)
            messages.success(request, _("The founding meeting is planned."))
            return redirect("meetings:founding", pk=founding.pk)
    context = {
        "commune": commune,
        "supervisors": founding_services.supervisors_for(actor=request.user, commune=commune),
        "offices": _offices(request, commune),
        "values": source,
    }
    return render(request, "meetings/founding_new.html", context, status=status)


def _add_founder(request: HttpRequest, founding: Founding) -> None:
    person = get_visible_or_404(
        request.user, Person.objects.live(), CHANGE, pk=request.POST.get("person")
    )
    founding_services.founding_add_founder(actor=request.user, founding=founding, person=person)


def _new_founder(request: HttpRequest, founding: Founding) -> None:
    """Create a founding member on the spot, living in a commune of the actor's scope."""
    form = NewPersonFields(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Check the new person's fields."), code=ErrorCode.INVALID)
    fields = form.new_person()
    if fields is None:
        raise ValidationError(
            [str(message) for message in form.non_field_errors()]
            + [str(message) for errors in form.errors.values() for message in errors],
            code=ErrorCode.INVALID,
        )
    territory = get_visible_or_404(request.user, Territory, code=form.cleaned_data["new_territory"])
    if not can_add(request.user, Person, path=territory.path):
        raise Http404
    person = person_create(actor=request.user, territory=territory, **fields)
    audit(request, "person_create", person)
    founding_services.founding_add_founder(actor=request.user, founding=founding, person=person)


def _remove_founder(request: HttpRequest, founding: Founding) -> None:
    value = request.POST.get("person", "")
    founding_services.founding_remove_founder(
        actor=request.user, founding=founding, person_id=int(value) if value.isdigit() else 0
    )


def _record(request: HttpRequest, founding: Founding) -> None:
    officers = {}
    for function in OFFICERS:
        value = request.POST.get(function)
        if value:
            officers[function] = get_visible_or_404(
                request.user, founding.founders.all(), CHANGE, pk=value
            )
    try:
        founded_on = datetime.date.fromisoformat(request.POST.get("founded_on", ""))
    except ValueError as error:
        raise ValidationError(
            _("Give the date of the founding."), code=ErrorCode.NO_DATE
        ) from error
    founding_services.founding_record(
        actor=request.user, founding=founding, founded_on=founded_on, officers=officers
    )


ACTIONS = {
    "add_founder": _add_founder,
    "new_founder": _new_founder,
    "remove_founder": _remove_founder,
    "record": _record,
    "cancel": lambda request, founding: founding_services.founding_cancel(
        actor=request.user, founding=founding, reason=request.POST.get("reason", "")
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def founding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A planned founding: its meeting, founding members, the officers to record; or its result."""
    founding = get_visible_or_404(
        request.user,
        Founding.objects.select_related("commune", "office", "supervisor", "body", "meeting"),
        pk=pk,
    )
    if request.method == "POST":
        founding = get_visible_or_404(request.user, Founding, CHANGE, pk=pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return redirect("meetings:founding", pk=pk)
        try:
            with transaction.atomic():
                ACTIONS[action](request, founding)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            audit(request, f"founding.{action}", founding)
            if action == "record":
                messages.success(request, _("The local secretariat is founded."))
        return redirect("meetings:founding", pk=pk)
    may_change = can(request.user, CHANGE, founding) and founding.status == FoundingStatus.PLANNED
    query = request.GET.get("q", "").strip()
    founders = list(founding.founders.order_by("pk"))
    context = {
        "founding": founding,
        "may_change": may_change,
        "founders": founders,
        "officers": OFFICERS,
        "query": query,
        "found": founding_services.founders_to_add(
            actor=request.user, founding=founding, query=query
        )
        if may_change
        else [],
        "today": timezone.localdate(),
        "planned_day": timezone.localtime(founding.starts_at).date(),
    }
    return render(request, "meetings/founding_detail.html", context)

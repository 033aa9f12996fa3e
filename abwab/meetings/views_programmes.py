"""Programmes of meetings (planned in one step) and the calendar of a territory: a month view in
Moroccan month names, the reminders of the coming week, and an iCalendar export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import (
    CHANGE,
    get_visible_or_404,
    territories_where,
    territory_or_404,
    top_territory,
    visible_to,
)
from abwab.meetings import programmes as programme_services
from abwab.meetings.communique import AR_WEEKDAYS
from abwab.meetings.models import Programme
from abwab.meetings.services import programme_progress
from abwab.territory.models import Body, BodyKind, Level

FR_WEEKDAYS_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def _language() -> str:
    return "fr" if translation.get_language() == "fr" else "ar"


def _node(request: HttpRequest):
    """The territory asked (404 outside the scope), else the user's top node (None without one)."""
    code = request.GET.get("territory")
    return territory_or_404(request.user, code) if code else top_territory(request.user)


def _form_choices(request: HttpRequest) -> dict:
    bodies = visible_to(request.user, Body.objects.select_related("territory"), CHANGE)
    territories = territories_where(request.user, Programme).filter(level__lte=Level.PROVINCE)
    return {
        "bodies": bodies.order_by("territory__path", "kind")[:300],
        "territories": territories.order_by("path")[:300],
        "patterns": programme_services.PATTERNS,
        "spacings": programme_services.SPACINGS,
        "kinds": BodyKind.choices,
    }


def _plan(request: HttpRequest) -> Programme:
    post = request.POST
    pattern = post.get("pattern", "")
    body = territory = None
    if pattern in ("each_place", "repeat"):
        body = get_visible_or_404(request.user, Body, CHANGE, pk=post.get("body"))
    elif pattern == "each_body":
        territory = get_visible_or_404(
            request.user, territories_where(request.user, Programme), code=post.get("territory")
        )
    starts_at = parse_datetime(post.get("starts_at", ""))
    if starts_at is None:
        raise ValidationError(
            _("Give the date and time of the first meeting."), code=ErrorCode.NO_DATE
        )
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    count = post.get("count", "")
    return programme_services.programme_plan(
        actor=request.user,
        name_ar=post.get("name_ar", ""),
        name_fr=post.get("name_fr", ""),
        pattern=pattern,
        starts_at=starts_at,
        spacing=post.get("spacing", "same_day"),
        body=body,
        body_kind=post.get("body_kind", ""),
        territory=territory,
        count=int(count) if count.isdigit() else 0,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_list(request: HttpRequest) -> HttpResponse:
    """Programmes in scope with their progress, and the form to plan one in one step."""
    status = 200
    if request.method == "POST":
        try:
            programme = _plan(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 422
        else:
            audit(request, "programme.plan", programme)
            count = programme.meetings.count()
            messages.success(
                request,
                _("The programme is planned: %(count)d meetings.") % {"count": count},
            )
            return redirect(f"{request.path}#programme-{programme.pk}")
    rows = [
        (programme, *programme_progress(programme), programme.meetings.order_by("starts_at"))
        for programme in programme_services.programmes_for(actor=request.user)
    ]
    context = {"rows": rows, "values": request.POST, **_form_choices(request)}
    return render(request, "meetings/programmes.html", context, status=status)


def _month(request: HttpRequest) -> tuple[int, int]:
    try:
        day = datetime.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        day = timezone.localdate()
    return day.year, day.month


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    """A territory's month: its meetings and planned foundings, and the coming week's reminders."""
    node = _node(request)
    year, month = _month(request)
    language = _language()
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    items = (
        programme_services.calendar_items(
            actor=request.user, territory=node, start=first, end=following, language=language
        )
        if node
        else []
    )
    by_day: dict[datetime.date, list] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    weeks = [
        [(day, day.month == month, len(by_day.get(day, []))) for day in week]
        for week in programme_services.month_weeks(year, month)
    ]
    context = {
        "node": node,
        "title": programme_services.month_title(year, month, language),
        "weeks": weeks,
        "days": sorted(by_day.items()),
        "reminders": programme_services.reminders(
            actor=request.user, territory=node, language=language
        )
        if node
        else [],
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "month": f"{first:%Y-%m}",
        "today": timezone.localdate(),
        "weekdays": FR_WEEKDAYS_SHORT if language == "fr" else AR_WEEKDAYS,
    }
    return render(request, "meetings/calendar.html", context)


@login_required
@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """The territory's calendar as an iCalendar file: from a month ago to a year ahead."""
    node = _node(request)
    language = _language()
    today = timezone.localdate()
    items = (
        programme_services.calendar_items(
            actor=request.user,
            territory=node,
            start=today - datetime.timedelta(days=31),
            end=today + datetime.timedelta(days=366),
            language=language,
        )
        if node
        else []
    )
    name = (node.name_fr if language == "fr" else node.name_ar) if node else "Abwab"
    text = programme_services.to_ics(items, name=name, host=request.get_host().split(":")[0])
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    code = node.code if node else "abwab"
    response["Content-Disposition"] = f'attachment; filename="abwab-{code}.ics"'
    return response

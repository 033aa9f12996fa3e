"""Devices and scripts: a secretary issues, names, limits (a territory, an office or one event in
their scope; an expiry date) and revokes API tokens. The secret is shown once, at creation; every
issue, revocation and use is audited. The limit is enforced by the scope gate (accounts.tokens)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.accounts.models import ApiToken
from abwab.accounts.tokens import SecondFactorFirst, token_create, token_revoke
from abwab.campaigns.models import Event, EventStatus
from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.roles import SECRETARIES
from abwab.core.scope import CHANGE, get_visible_or_404, grants, roles, visible_to
from abwab.territory.models import Level, Office, Territory
from abwab.territory.paths import path_depth


def _may_issue(user) -> bool:
    return bool(roles(user) & SECRETARIES)


def _territories(user):
    """Nodes a token may be limited to: the user's own nodes and below, down to the provinces
    (and to the communes for a provincial or lower scope)."""
    paths = [path for grant in grants(user) if grant.role in SECRETARIES for path in grant.paths]
    nodes = Territory.objects.within(paths)
    top = min((path_depth(path) for path in paths), default=Level.NATION)
    return nodes.filter(
        level__lte=max(top, Level.COMMUNE if top >= Level.PROVINCE else Level.PROVINCE)
    )


def _events(user):
    events = Event.objects.exclude(
        status__in=(EventStatus.CLOSED, EventStatus.REPORTED)
    ).select_related("office", "campaign")
    return visible_to(user, events, CHANGE).order_by("starts_on", "pk")[:200]


def _expiry(value: str) -> datetime.datetime | None:
    """The end of the expiry day (the token works through that day), or None for no expiry."""
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(
            _("Give the expiry date as a date."), code=ErrorCode.INVALID_DATE
        ) from error
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _issue(request: HttpRequest) -> tuple[ApiToken, str]:
    user, post = request.user, request.POST
    limit = post.get("limit", "")
    territory = office = event = None
    if limit == "territory":
        territory = get_visible_or_404(user, _territories(user), code=post.get("territory", ""))
    elif limit == "office":
        office = get_visible_or_404(user, Office, CHANGE, pk=post.get("office"))
    elif limit == "event":
        event = get_visible_or_404(user, Event, CHANGE, pk=post.get("event"))
    name = post.get("name", "").strip()
    if not name:
        raise ValidationError(_("Give the token a name (the device or script it is for)."))
    return token_create(
        user=user,
        name=name,
        expires_at=_expiry(post.get("expires_on", "")),
        territory=territory,
        office=office,
        event=event,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, the form to issue one, and revocation."""
    may_issue = _may_issue(request.user)
    secret, status = None, 200
    if request.method == "POST":
        if not may_issue:
            raise Http404
        action = request.POST.get("action")
        if action == "revoke":
            token = get_visible_token(request)
            token_revoke(token=token, actor=request.user)
            audit(request, "api_token.revoke", token)
            messages.success(request, _("The token is revoked: it no longer works."))
        elif action == "issue":
            try:
                token, secret = _issue(request)
            except (ValidationError, SecondFactorFirst) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                status = 422
            else:
                audit(request, "api_token.create", token)
                status = 201
    context = {
        "tokens": ApiToken.objects.filter(user=request.user)
        .select_related("territory", "office", "event__office", "event__campaign")
        .order_by("-created_at"),
        "may_issue": may_issue,
        "secret": secret,
        "territories": _territories(request.user).order_by("path") if may_issue else [],
        "offices": visible_to(request.user, Office.objects.all(), CHANGE).order_by("name_fr")[:200]
        if may_issue
        else [],
        "events": _events(request.user) if may_issue else [],
        "now": timezone.now(),
        "values": request.POST if status == 422 else {},
    }
    return render(request, "accounts/tokens.html", context, status=status)


def get_visible_token(request: HttpRequest) -> ApiToken:
    """One of the user's own tokens (another account's answers 404)."""
    value = request.POST.get("token", "")
    if not value.isdigit():
        raise Http404
    token = ApiToken.objects.filter(user=request.user, pk=int(value)).first()
    if token is None:
        raise Http404
    return token

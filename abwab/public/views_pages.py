"""The public open-doors pages: where and when the offices open, by territory, by name, by distance,
and their calendars. No login, and only public data (see `abwab.public.selectors`): no scope gate is
needed because nothing read here belongs to anyone's scope."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from abwab.campaigns.models import Event
from abwab.core import bidi, dates
from abwab.core.language import public_language, with_language
from abwab.public import calendar, selectors
from abwab.territory.models import Territory

MAX_AGE = 300
NEAR_ME_POLICY = "camera=(), geolocation=(self), microphone=()"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A cached public GET page: `?lang=`, `Cache-Control: public`, an ETag and its 304."""

    @require_GET
    @public_language
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # "Near me" asks this page's own script for the position (the site-wide policy denies it).
        response.headers["Permissions-Policy"] = NEAR_ME_POLICY
        if response.status_code != 200 or response.streaming:
            return response
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        set_response_etag(response)
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)

    return wrapped


def _url(name: str, *args) -> str:
    """A URL of the public site (another part's page too), keeping the page's language."""
    return with_language(reverse(name, args=args))


def _node(code: str, depth: int) -> Territory:
    node = selectors.node_or_none(code, depth)
    if node is None:
        raise Http404
    return node


@public_page
def index(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.live_campaigns())
    regions = selectors.places(selectors.REGION_DEPTH) if campaigns else []
    return render(
        request,
        "public/index.html",
        {
            "campaigns": campaigns,
            "regions": regions,
            "open_total": sum(r.count for r in regions),
            "documents_url": _url("public:documents"),
            "concern_url": _url("public:concern"),
        },
    )


@public_page
def region(request: HttpRequest, code: str) -> HttpResponse:
    node = _node(code, selectors.REGION_DEPTH)
    provinces = selectors.places(selectors.PROVINCE_DEPTH, node)
    return render(
        request,
        "public/region.html",
        {"node": node, "provinces": provinces, "open_total": sum(p.count for p in provinces)},
    )


@public_page
def province(request: HttpRequest, code: str) -> HttpResponse:
    node = _node(code, selectors.PROVINCE_DEPTH)
    communes = selectors.places(selectors.COMMUNE_DEPTH, node, only_open=True)
    return render(
        request,
        "public/province.html",
        {
            "node": node,
            "crumbs": selectors.breadcrumbs(node),
            "communes": communes,
            "share_url": _url("public:share", node.code),
        },
    )


@public_page
def commune(request: HttpRequest, code: str) -> HttpResponse:
    node = _node(code, selectors.COMMUNE_DEPTH)
    crumbs = selectors.breadcrumbs(node)
    province_node = next((c for c in crumbs if c.depth == selectors.PROVINCE_DEPTH), None)
    return render(
        request,
        "public/commune.html",
        {
            "node": node,
            "crumbs": crumbs,
            "province": province_node,
            "events": list(selectors.events_at_or_below(node)),
        },
    )


def _public_event(pk: int) -> Event:
    event = selectors.public_event_or_none(pk)
    if event is None:
        raise Http404
    return event


def osm_url(event: Event) -> str:
    office = event.office
    if office.latitude is None or office.longitude is None:
        return ""
    lat, lon = office.latitude, office.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


@public_page
def event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(pk)
    node = event.office.territory
    return render(
        request,
        "public/event.html",
        {
            "event": event,
            "office": event.office,
            "node": node,
            "crumbs": [*selectors.breadcrumbs(node), node],
            "days": selectors.event_days(event),
            "ended": event.ends_on < selectors.today(),
            "osm_url": osm_url(event),
            "communiques": list(selectors.territory_communiques(node)),
            "prereg_url": _url("public:prereg", event.pk),
            # The concern form starts at this office's commune.
            "concern_url": with_language(reverse("public:concern"), commune=node.code),
            "poster_url": _url("public:poster", event.pk),
            "documents_url": _url("public:documents"),
        },
    )


def _location(event: Event) -> str:
    office = event.office
    place = bidi.join_list([office.name, office.territory.name])
    if event.address_on_request:
        return f"{place} — {gettext('address given after pre-registration')}"
    return f"{office.address} — {place}"


def _vevent(request: HttpRequest, event: Event) -> list[str]:
    url = request.build_absolute_uri(with_language(reverse("public:event", args=[event.pk])))
    hours = f"{event.opens_at:%H:%M}–{event.closes_at:%H:%M}"
    description = gettext("Open doors from %(first)s to %(last)s, %(hours)s.") % {
        "first": dates.long_date(event.starts_on),
        "last": dates.long_date(event.ends_on),
        "hours": hours,
    }
    return calendar.event_lines(
        event, url=url, location=_location(event), description=f"{description}\n{url}"
    )


def _ics(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(pk)
    body = calendar.calendar([_vevent(request, event)], event.office.name)
    return _ics(body, f"open-doors-{event.pk}.ics")


@public_page
def commune_ics(request: HttpRequest, code: str) -> HttpResponse:
    node = _node(code, selectors.COMMUNE_DEPTH)
    events = selectors.events_at_or_below(node)
    body = calendar.calendar([_vevent(request, e) for e in events], node.name)
    return _ics(body, f"open-doors-{node.code}.ics")


@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.search_communes(query) if query else []
    return render(
        request,
        "public/search.html",
        {"query": query, "results": results, "too_short": 0 < len(selectors.fold(query)) < 2},
    )


@public_page
def near(request: HttpRequest) -> HttpResponse:
    lat, lon = request.GET.get("lat", ""), request.GET.get("lon", "")
    position = selectors.parse_position(lat, lon) if (lat or lon) else None
    context: dict = {"asked": bool(lat or lon), "position": position}
    if position is not None:
        rows, missing = selectors.nearest_events(*position)
        context.update(rows=rows, missing=missing)
    response = render(request, "public/near.html", context)
    if context["asked"] and position is None:
        response.status_code = 400
    return response

"""The public open-doors pages: territory lists, the office page, search, near me, calendars,
caching, and that nothing personal ever shows."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from abwab.campaigns.models import (
    Campaign,
    CampaignStatus,
    CheckIn,
    Event,
    PreRegistration,
    Purpose,
)
from abwab.public import calendar
from abwab.territory.models import Territory
from abwab.territory.tests.factories import OfficeFactory
from conftest import in_arabic

TAOUNATE_COMMUNE = "03.531.01.05"
AIT_OUALLAL = "03.061.03.07"
# Personal data that must never reach a public page.
SECRETS = [
    "Zoubida Leakcheck",
    "+212611223344",
    "611223344",
    "Prereg Leakname",
    "+212622334455",
    "622334455",
    "person-taounate_a",
    "person-meknes",
    "twin-taounate_a",
    "concern-taounate_a",
    "SECRET-ADDR-77",
]


def _event(campaign, office, *, days=3, **fields) -> Event:
    start = timezone.localdate()
    return Event.objects.create(
        campaign=campaign,
        office=office,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=days - 1),
        opens_at=datetime.time(9),
        closes_at=datetime.time(18, 30),
        **fields,
    )


@pytest.fixture
def site(places):
    """A launched campaign under way today, with offices in Taounate, Meknès and Fès; an internal
    event; a draft campaign; and people, check-ins and pre-registrations that must stay private."""
    nation = Territory.objects.get(level=0)
    campaign = Campaign.objects.create(
        name_ar="الأبواب المفتوحة الثانية",
        name_fr="Portes ouvertes, deuxième édition",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        memo_ar="مذكرة",
        territory=nation,
        status=CampaignStatus.LAUNCHED,
        public_intro_ar="نقدم حصيلة العمل الحكومي",
        public_intro_fr="Nous présentons le bilan du gouvernement",
        launched_at=timezone.now(),
    )
    taounate = Territory.objects.get(code=TAOUNATE_COMMUNE)
    taounate_office = OfficeFactory(
        territory=taounate,
        name_ar="مقر تاونات",
        name_fr="Siège de Taounate",
        address="12, Rue Zitoun; quartier Jnane",
        phone="0535123456",
        latitude=Decimal("34.53600"),
        longitude=Decimal("-4.64000"),
        accessible_entrance=True,
    )
    meknes_office = places["meknes"].office
    meknes_office.address = "SECRET-ADDR-77"
    meknes_office.latitude, meknes_office.longitude = Decimal("33.89000"), Decimal("-5.55000")
    meknes_office.save()
    ait = OfficeFactory(territory=Territory.objects.get(code=AIT_OUALLAL), name_fr="Siège Ait")
    events = SimpleNamespace(
        taounate=_event(campaign, taounate_office),
        meknes=_event(campaign, meknes_office, address_on_request=True),
        fes=_event(campaign, places["fes_north"].office),  # no coordinates
        internal=_event(campaign, places["taounate_b"].office, public=False),
        ait=_event(campaign, ait, days=1),
    )
    draft = Campaign.objects.create(
        name_ar="مسودة",
        name_fr="Brouillon",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        memo_ar="-",
        territory=nation,
    )
    events.draft = _event(draft, places["oriental"].office)
    checkin = CheckIn.objects.create(
        event=events.taounate,
        office=taounate_office,
        territory=taounate,
        name="Zoubida Leakcheck",
        phone="+212611223344",
        purpose=Purpose.values[0],
        client_key="leak-1",
    )
    PreRegistration.objects.create(
        event=events.taounate,
        territory=taounate,
        name="Prereg Leakname",
        phone="+212622334455",
        purpose=Purpose.values[0],
        consent_at=timezone.now(),
        consent_version="public-2026-11",
        code="LEAK0001",
        checkin=checkin,
    )
    places["taounate_a"].communique.status = "published"
    places["taounate_a"].communique.published_at = timezone.now()
    places["taounate_a"].communique.save()
    return SimpleNamespace(campaign=campaign, events=events, taounate=taounate, places=places)


def text(response) -> str:
    return response.content.decode()


def test_index_shows_the_campaign_and_regions_with_counts(client, site):
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    body = text(response)
    assert "نقدم حصيلة العمل الحكومي" in body
    fes_meknes = Territory.objects.get(code="03")
    # Taounate, Meknès, Fès North and Ait Ouallal: four open offices in Fès-Meknès.
    assert re.search(
        rf'href="/open-doors/r/03/\?lang=ar"><span>{fes_meknes.name_ar}</span>'
        r'<span class="count"><bdi dir="ltr">4</bdi>',
        body,
    )
    assert "Brouillon" not in body and "مسودة" not in body


def test_index_in_french_by_the_address(client, site):
    response = client.get(reverse("public:index") + "?lang=fr")
    body = text(response)
    assert '<html lang="fr" dir="ltr">' in body
    assert "Nous présentons le bilan du gouvernement" in body
    assert response["Content-Language"] == "fr"
    assert 'href="/open-doors/?lang=ar"' in body  # the switch is a link
    assert '<meta property="og:locale" content="fr_FR">' in body
    assert (
        '<link rel="alternate" hreflang="ar" href="http://testserver/open-doors/?lang=ar">' in body
    )


def test_region_province_commune_chain(client, site):
    region = client.get(reverse("public:region", args=["03"]))
    assert region.status_code == 200
    assert 'href="/open-doors/p/03.531/?lang=ar"' in text(region)
    province = client.get(reverse("public:province", args=["03.531"]))
    body = text(province)
    assert f'href="/open-doors/c/{TAOUNATE_COMMUNE}/?lang=ar"' in body
    # The internal event's commune (Karia Ba Mohamed) has no public office: not listed.
    assert site.places["taounate_b"].node.name_ar not in body
    commune = client.get(reverse("public:commune", args=[TAOUNATE_COMMUNE]))
    assert f'href="/open-doors/event/{site.events.taounate.pk}/?lang=ar"' in text(commune)


def test_a_commune_without_office_points_to_its_province(client, site):
    response = client.get(reverse("public:commune", args=[site.places["taounate_b"].node.code]))
    body = text(response)
    assert in_arabic("No office opens its doors in this commune at the moment.") in body
    assert 'href="/open-doors/p/03.531/?lang=ar"' in body
    assert f"/event/{site.events.internal.pk}/" not in body


def test_wrong_level_codes_are_404(client, site):
    assert client.get(reverse("public:region", args=["03.531"])).status_code == 404
    assert client.get(reverse("public:province", args=["03"])).status_code == 404
    assert client.get(reverse("public:commune", args=["03.531"])).status_code == 404
    assert client.get(reverse("public:commune", args=["nope"])).status_code == 404


def test_event_page_gives_address_days_hours_map_entrance_phone(client, site):
    event = site.events.taounate
    body = text(client.get(reverse("public:event", args=[event.pk])))
    assert "12, Rue Zitoun; quartier Jnane" in body
    today = timezone.localdate()
    from abwab.core import dates

    for i in range(3):
        day = today + datetime.timedelta(days=i)
        assert dates.long_date(day, "ar", weekday=True) in body
    assert '<bdi dir="ltr">09:00–18:30</bdi>' in body
    assert (
        'href="https://www.openstreetmap.org/?mlat=34.53600&amp;mlon=-4.64000#map=17/34.53600/-4.64000"'
        in body
    )
    assert in_arabic("Step-free entrance") in body
    assert '<a href="tel:+212535123456"><bdi dir="ltr">0535123456</bdi></a>' in body
    assert f'href="/open-doors/event/{event.pk}.ics?lang=ar"' in body
    assert f'href="/open-doors/event/{event.pk}/visit/?lang=ar"' in body
    assert f'href="/open-doors/concern/?commune={TAOUNATE_COMMUNE}&amp;lang=ar"' in body
    assert f'href="/open-doors/event/{event.pk}/poster/?lang=ar"' in body
    assert 'href="/open-doors/documents/?lang=ar"' in body
    assert 'href="/news/communique-taounate_a/"' not in body  # Rhafsai's, another commune


def test_event_page_lists_the_communiques_of_its_territory(client, site):
    event = _event(site.campaign, site.places["taounate_a"].office)
    body = text(client.get(reverse("public:event", args=[event.pk])))
    assert 'href="/news/communique-taounate_a/"' in body
    # Unpublished communiqués never show.
    assert "communique-meknes" not in text(
        client.get(reverse("public:event", args=[site.events.meknes.pk]))
    )


def test_address_on_request_is_hidden(client, site):
    body = text(client.get(reverse("public:event", args=[site.events.meknes.pk])))
    assert "SECRET-ADDR-77" not in body
    assert in_arabic("The address is given after pre-registration.") in body
    assert "openstreetmap" not in body
    ics = text(client.get(reverse("public:event_ics", args=[site.events.meknes.pk])))
    assert "SECRET-ADDR-77" not in ics
    assert "GEO:" not in ics and "33.89" not in ics  # nor the position


def test_internal_and_draft_events_are_404_everywhere(client, site):
    for event in (site.events.internal, site.events.draft):
        assert client.get(reverse("public:event", args=[event.pk])).status_code == 404
        assert client.get(reverse("public:event_ics", args=[event.pk])).status_code == 404
    commune_ics = text(
        client.get(reverse("public:commune_ics", args=[site.places["taounate_b"].node.code]))
    )
    assert "BEGIN:VEVENT" not in commune_ics


@pytest.mark.parametrize(
    "query", ["Taounate", "taounate", "TAOUNATE ", "تاونات", "Taounat", "Tawnat", "طاونات"]
)
def test_search_finds_the_commune_in_either_script(client, site, query):
    response = client.get(reverse("public:search"), {"q": query})
    assert response.status_code == 200
    assert f'href="/open-doors/c/{TAOUNATE_COMMUNE}/?lang=ar"' in text(response)


@pytest.mark.parametrize("query", ["Aït Ouallal", "ait-ouallal", "AIT OUALLAL", "آيت ولال"])
def test_search_folds_accents_hyphens_and_ait(client, site, query):
    body = text(client.get(reverse("public:search"), {"q": query}))
    assert f'href="/open-doors/c/{AIT_OUALLAL}/?lang=ar"' in body


def test_search_by_letters_does_not_bring_names_that_only_sound_alike(client, site):
    body = text(client.get(reverse("public:search"), {"q": "taounate"}))
    tahannaout = Territory.objects.get(name_fr="Tahannaout")
    assert tahannaout.name_ar not in body


def test_search_says_when_a_commune_has_no_office(client, site):
    body = text(client.get(reverse("public:search"), {"q": "Rhafsai", "lang": "fr"}))
    assert 'href="/open-doors/p/03.531/?lang=fr"' in body
    assert "/open-doors/c/03.531.01.01/" not in body


def test_search_nothing_and_too_short(client, site):
    with_nothing = text(client.get(reverse("public:search"), {"q": "Zzyzxville"}))
    assert "Zzyzxville" in with_nothing and "/open-doors/c/" not in with_nothing
    short = text(client.get(reverse("public:search"), {"q": "T"}))
    assert in_arabic("Type at least two letters of the commune's name.") in short


def test_near_me_orders_by_distance_and_says_what_it_left_out(client, site):
    # From near Fès (34.03, -5.00): Meknès (~55 km) comes before Taounate (~60 km).
    office = OfficeFactory(
        territory=Territory.objects.get(code="03.061.01.03"),  # Al Machouar-Stinia, by Meknès
        latitude=Decimal("33.90000"),
        longitude=Decimal("-5.50000"),
    )
    stinia = _event(site.campaign, office)
    response = client.get(reverse("public:near"), {"lat": "34.03", "lon": "-5.00", "lang": "fr"})
    assert response.status_code == 200
    body = text(response)
    assert body.index(f"/event/{stinia.pk}/") < body.index(f"/event/{site.events.taounate.pk}/")
    # Fès North's office and Ait Ouallal's have no coordinates, Meknès's address is given on
    # request: left out, and said so.
    with translation.override("fr"):
        said = translation.ngettext(
            "%(counter)s open office is not in this list (no position on the map, or an "
            "address given only after pre-registration); search by commune to find it.",
            "%(counter)s open offices are not in this list (no position on the map, or an "
            "address given only after pre-registration); search by commune to find them.",
            3,
        ) % {"counter": 3}
    assert said.split(" (")[0] in body
    for left_out in (site.events.fes, site.events.ait, site.events.meknes):
        assert f"/event/{left_out.pk}/" not in body
    from_meknes = text(client.get(reverse("public:near"), {"lat": "33.89", "lon": "-5.55"}))
    assert from_meknes.index(f"/event/{stinia.pk}/") < from_meknes.index(
        f"/event/{site.events.taounate.pk}/"
    )


@pytest.mark.parametrize(
    "lat,lon", [("abc", "-5"), ("91", "0"), ("0", "181"), ("nan", "1"), ("", "3"), ("1e999", "1")]
)
def test_near_me_refuses_bad_positions_with_a_message(client, site, lat, lon):
    response = client.get(reverse("public:near"), {"lat": lat, "lon": lon})
    assert response.status_code == 400
    assert in_arabic(
        "This position could not be read: latitude must be between -90 and 90 and longitude "
        "between -180 and 180."
    ) in text(response)


def test_near_me_without_position_explains(client, site):
    response = client.get(reverse("public:near"))
    assert response.status_code == 200
    assert in_arabic(
        "Allow your phone to share its position to see the nearest open offices; it is used only "
        "for this search and never stored. Or search by commune name."
    ) in text(response)
    assert "/event/" not in text(response)


def unfold(ics: str) -> list[str]:
    assert "\n" not in ics.replace("\r\n", "")  # CRLF only
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


def test_event_ics(client, site):
    event = site.events.taounate
    response = client.get(reverse("public:event_ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="open-doors-{event.pk}.ics"'
    raw = text(response)
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    start = event.starts_on.strftime("%Y%m%d")
    assert f"UID:abwab-open-doors-event-{event.pk}@abwab" in lines
    assert f"DTSTART;TZID=Africa/Casablanca:{start}T090000" in lines
    assert f"DTEND;TZID=Africa/Casablanca:{start}T183000" in lines
    assert "RRULE:FREQ=DAILY;COUNT=3" in lines
    assert "TZID:Africa/Casablanca" in lines
    location = next(line for line in lines if line.startswith("LOCATION:"))
    assert location.startswith("LOCATION:12\\, Rue Zitoun\\; quartier Jnane — ")
    assert "GEO:34.53600;-4.64000" in lines
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert text(client.get(reverse("public:event_ics", args=[event.pk]))) == raw  # stable


def test_commune_ics_has_all_its_public_events(client, site):
    second = _event(
        site.campaign,
        OfficeFactory(territory=site.taounate, name_fr="Annexe", name_ar="ملحقة"),
        days=1,
    )
    response = client.get(reverse("public:commune_ics", args=[TAOUNATE_COMMUNE]))
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="open-doors-{TAOUNATE_COMMUNE}.ics"'
    )
    lines = unfold(text(response))
    uids = sorted(line for line in lines if line.startswith("UID:"))
    assert uids == sorted(
        f"UID:abwab-open-doors-event-{pk}@abwab" for pk in (site.events.taounate.pk, second.pk)
    )


def test_ics_escaping_and_folding():
    assert calendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = calendar.fold("SUMMARY:" + "ب" * 100)
    assert all(len(part.encode()) <= 75 for part in folded)
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == "SUMMARY:" + "ب" * 100


def test_pages_are_cached_with_etag_and_304(client, site):
    url = reverse("public:event", args=[site.events.taounate.pk])
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=300"
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    french = client.get(url + "?lang=fr", HTTP_IF_NONE_MATCH=etag)
    assert french.status_code == 200  # another language is another page


@pytest.mark.parametrize(
    "name,args",
    [
        ("public:index", []),
        ("public:region", ["03"]),
        ("public:province", ["03.531"]),
        ("public:commune", [TAOUNATE_COMMUNE]),
        ("public:search", []),
        ("public:near", []),
    ],
)
def test_every_page_has_opengraph_tags(client, site, name, args):
    body = text(client.get(reverse(name, args=args)))
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:locale"):
        assert f'<meta property="{prop}" content="' in body
    assert '<meta property="og:locale" content="ar_MA">' in body
    assert '<html lang="ar" dir="rtl">' in body


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def page_weight(html: str) -> int:
    """Bytes of the page and of the stylesheets and scripts it links (uncompressed)."""
    from django.contrib.staticfiles import finders

    size = len(html.encode())
    for url in re.findall(
        r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html
    ):
        path = finders.find(url.split("/static/", 1)[1])
        assert path, url
        size += len(open(path, "rb").read())
    return size


def test_no_personal_data_on_any_public_page(client, site):
    """Crawl every public link from the index (and a search, a position) to depth 3, in both
    languages, and check that no name or phone of a person, visitor or pre-registration shows,
    and that each page with its CSS and JS stays under 100 KB."""
    start = [
        reverse("public:index"),
        reverse("public:index") + "?lang=fr",
        reverse("public:search") + "?q=taounate",
        reverse("public:search") + "?q=مكناس",
        reverse("public:near") + "?lat=34&lon=-5",
    ]
    seen: set[str] = set()
    frontier = start
    for _depth in range(4):
        following = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            assert response.status_code in (200, 302), url
            if response.status_code != 200:
                continue
            body = (
                text(response)
                if not response.get("Content-Type", "").startswith("application/pdf")
                else ""
            )
            for secret in SECRETS:
                assert secret not in body, (secret, url)
            if response["Content-Type"].startswith("text/html"):
                assert page_weight(body) < 100 * 1024, url
                parser = Links()
                parser.feed(body)
                following += [
                    link
                    for link in parser.links
                    if urlsplit(link).path.startswith("/open-doors/") and not urlsplit(link).netloc
                ]
        frontier = following
    assert any(f"/event/{site.events.taounate.pk}/" in url for url in seen)
    assert any(url.endswith(".ics?lang=ar") for url in seen)
    assert not any(f"/event/{site.events.internal.pk}/" in url for url in seen)


def test_news_and_login_pages_link_to_the_public_site(client, db):
    for url in (reverse("news:list"), reverse("accounts:login")):
        assert f'href="{reverse("public:index")}"' in text(client.get(url))

"""A citizen on a phone (390 px, Arabic then French) finds the office of a commune by typing its
name in Latin script, opens it, downloads its .ics; "near me" uses the position the phone shares."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from abwab.campaigns.models import Campaign, CampaignStatus, Event
from abwab.territory.models import Territory
from abwab.territory.tests.factories import OfficeFactory
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_event(transactional_territory):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name_ar="الأبواب المفتوحة",
        name_fr="Portes ouvertes",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=20),
        memo_ar="مذكرة",
        territory=Territory.objects.get(level=0),
        status=CampaignStatus.LAUNCHED,
        public_intro_ar="نقدم حصيلة العمل الحكومي وبرنامج الحزب، ونستمع إلى انشغالاتكم.",
        public_intro_fr="Nous présentons le bilan du gouvernement et le programme du parti.",
    )
    office = OfficeFactory(
        territory=Territory.objects.get(code="03.531.01.05"),
        name_ar="مقر تاونات المركزي",
        name_fr="Siège central de Taounate",
        address="شارع الحسن الثاني، رقم 12، تاونات",
        phone="0535123456",
        latitude=Decimal("34.53600"),
        longitude=Decimal("-4.64000"),
        accessible_entrance=True,
    )
    return Event.objects.create(
        campaign=campaign,
        office=office,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
        opens_at=datetime.time(9),
        closes_at=datetime.time(18),
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_citizen_finds_the_office_by_typing_its_commune(browser, live_server, office_event):
    context = browser.new_context(
        locale="ar-MA",
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": 34.5, "longitude": -4.6},
        permissions=["geolocation"],
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/open-doors/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        screenshot(page, "public-index-ar-390")
        assert no_sideways_scroll(page)
        page.fill("input[name=q]", "taounate")
        page.press("input[name=q]", "Enter")
        screenshot(page, "public-search-ar-390")
        assert no_sideways_scroll(page)
        page.click("a[href^='/open-doors/c/03.531.01.05/']")
        page.click(f"a[href^='/open-doors/event/{office_event.pk}/']")
        assert "شارع الحسن الثاني، رقم 12، تاونات" in page.inner_text("main")
        screenshot(page, "public-event-ar-390")
        assert no_sideways_scroll(page)
        with page.expect_download() as download:
            page.click(f"a[href^='/open-doors/event/{office_event.pk}.ics']")
        path = download.value.path()
        assert download.value.suggested_filename == f"open-doors-{office_event.pk}.ics"
        content = open(path, encoding="utf-8", newline="").read()
        assert content.startswith("BEGIN:VCALENDAR\r\n")
        # French, by the switch link: the same page, the address keeps it.
        page.click("a[hreflang=fr]")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert "Entrée de plain-pied" in page.inner_text("main") or "Step-free" in page.inner_text(
            "main"
        )
        screenshot(page, "public-event-fr-390")
        assert no_sideways_scroll(page)
        # Near me: the phone shares its position when asked, the list comes sorted by distance.
        page.click("a.pub-brand")
        screenshot(page, "public-index-fr-390")
        assert no_sideways_scroll(page)
        page.click("#near-me")
        page.wait_for_url(lambda url: "/open-doors/near/" in url and "lat=34.5000" in url)
        assert f"/open-doors/event/{office_event.pk}/" in page.content()
        screenshot(page, "public-near-fr-390")
        assert no_sideways_scroll(page)
    finally:
        context.close()

"""In Chromium, at a phone's width, in Arabic: a citizen finds the office of their commune by typing
its name in Latin script, downloads its calendar, pre-registers asking to join and keeps the
receipt; at the door a volunteer finds the pre-registration, taps "Arrived" and completes the
sign-up. The visit and the new member are each counted once, and a second tap or scan of the
receipt changes nothing."""

import re
import unicodedata

import pytest

from abwab.campaigns.models import CheckIn, PreRegistration, PreRegistrationStatus
from abwab.campaigns.tests.test_prereg import joins, open_today, visits
from abwab.people.models import Membership
from abwab.public import calendar
from abwab.public.models import PublicSubmission, SubmissionStatus
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def latin_as_typed(name: str) -> str:
    """A French name as a citizen types it on a phone: lower case, no accents."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower()


@pytest.fixture
def phone_page(browser, live_server):
    def new():
        context = browser.new_context(locale="ar-MA", viewport=PHONE, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.base_url = live_server.url
        contexts.append(context)
        return page

    contexts = []
    yield new
    for context in contexts:
        context.close()


def test_a_citizen_preregisters_and_the_desk_completes_the_sign_up_once(
    phone_page, transactional_territory, places, actors, settings
):
    settings.PUBLIC_POW_BITS = 8  # the browser's proof of work, kept quick for the test
    settings.PUBLIC_MIN_FILL_SECONDS = 0
    place = places["taounate_a"]
    event = open_today(place.event)
    office = event.office
    office.address = "12 rue des Oliviers"
    office.save(update_fields=["address"])
    commune = place.node
    visits_before, joins_before = visits(place), joins(place)

    # The citizen searches the commune by its Latin name, on the public site in Arabic.
    citizen = phone_page()
    citizen.goto(citizen.base_url + "/open-doors/")
    assert citizen.locator("html").get_attribute("dir") == "rtl"
    citizen.fill("input[name=q]", latin_as_typed(commune.name_fr))
    citizen.locator("form.search button, form.search [type=submit]").first.click()
    citizen.wait_for_url(re.compile(r"/open-doors/search/"))
    citizen.click(f"a[href*='/open-doors/c/{commune.code}/']")
    citizen.wait_for_url(re.compile(rf"/open-doors/c/{re.escape(commune.code)}/"))
    citizen.click(f"a[href*='/open-doors/event/{event.pk}/']")
    citizen.wait_for_url(re.compile(rf"/open-doors/event/{event.pk}/"))
    assert "12 rue des Oliviers" in citizen.content()

    # The office's calendar file.
    with citizen.expect_download() as download:
        citizen.click(f"a[href*='/open-doors/event/{event.pk}.ics']")
    ics = open(download.value.path(), encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics
    unfolded = ics.replace("\r\n ", "")
    assert f"DTSTART;TZID={calendar.TZID}:{event.starts_on:%Y%m%d}T090000" in unfolded
    assert f"DTEND;TZID={calendar.TZID}:{event.starts_on:%Y%m%d}T180000" in unfolded
    assert "RRULE:FREQ=DAILY;COUNT=3" in unfolded  # yesterday, today and tomorrow
    assert f"/open-doors/event/{event.pk}/" in unfolded
    assert "12 rue des Oliviers" in unfolded

    # The pre-registration, asking to join.
    citizen.click(f"a[href*='/open-doors/event/{event.pk}/visit/']")
    citizen.wait_for_url(re.compile(rf"/open-doors/event/{event.pk}/visit/"))
    citizen.fill("input[name=name]", "Salma Bennani")
    citizen.fill("input[name=phone]", "06 61 23 45 67")
    citizen.check("input[name=purpose][value=membership]")
    assert citizen.locator("select[name=territory]").input_value() == commune.code
    citizen.check("input[name=consent]")
    assert citizen.locator("#consent-text").inner_text().strip()
    screenshot(citizen, "prereg-form-ar")
    citizen.click("form.prereg-form button[type=submit]")
    citizen.wait_for_url(re.compile(r"/open-doors/receipt/[A-Z0-9-]+/"))
    code = citizen.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert citizen.locator(".receipt-qr svg").count() == 1
    assert "Salma" not in citizen.content() and "661234567" not in citizen.content()
    screenshot(citizen, "prereg-receipt-ar")
    assert PublicSubmission.objects.get(receipt=code).status == SubmissionStatus.ACCEPTED
    prereg = PreRegistration.objects.get(code=code)
    assert prereg.wants_to_join and prereg.status == PreRegistrationStatus.EXPECTED
    assert not Membership.objects.filter(person__first_name_latin="Salma").exists()

    # At the door: the volunteer finds the visitor in the desk's list and taps "Arrived".
    desk = phone_page()
    log_in(desk, "volunteer")
    desk.goto(desk.base_url + f"/campaigns/events/{event.pk}/door/")
    row = desk.locator(f"#prereg-list li[data-code='{code}']")
    assert "Salma Bennani" in row.inner_text()
    screenshot(desk, "prereg-desk-ar")
    row.locator("button.arrived").click()
    desk.wait_for_url(re.compile(rf"\?prereg={code}"))
    assert desk.locator("input[name=name]").input_value() == "Salma Bennani"
    assert desk.locator("input[name=purpose][value=membership]").is_checked()
    assert (visits(place), joins(place)) == (visits_before + 1, joins_before)
    # The sign-up, with the visitor's consent.
    desk.fill("input[name=signup-birth_date]", "1990-02-03")
    desk.check("input[name=signup-consent]")
    desk.click("button.big")
    desk.wait_for_url(re.compile(r"/campaigns/cards/\d+/"))
    card = desk.locator(".card-number").inner_text()
    assert re.fullmatch(r"03-\d{4}-\d{6}", card)
    assert (visits(place), joins(place)) == (visits_before + 1, joins_before + 1)

    # A second scan of the receipt (its QR code holds the receipt's address) changes nothing.
    desk.goto(desk.base_url + f"/campaigns/events/{event.pk}/door/")
    desk.fill("#receipt-code", f"{desk.base_url}/open-doors/receipt/{code}/")
    desk.locator("#receipt-form button[type=submit]").click()
    desk.wait_for_load_state()
    assert (visits(place), joins(place)) == (visits_before + 1, joins_before + 1)
    assert CheckIn.objects.filter(event=event, name="Salma Bennani").count() == 1
    assert Membership.objects.filter(person__first_name_latin="Salma").count() == 1
    prereg.refresh_from_db()
    assert prereg.status == PreRegistrationStatus.ARRIVED and prereg.checkin.person_id

"""In Chromium, at a phone's width, in Arabic: a citizen leaves a concern online (the page's own
pow.js solves the proof of work), keeps the receipt number, follows the concern by that number;
a secretary carries the dossier to the council, and the public page shows the new status — and
never the concern's text, the citizen's name or phone."""

import re

import pytest

from abwab.listening.models import Category, Concern, DossierStatus
from abwab.public.models import PublicSubmission, SubmissionStatus
from conftest import in_arabic, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser, live_server):
    contexts = []

    def new():
        context = browser.new_context(locale="ar-MA", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.base_url = live_server.url
        contexts.append(context)
        return page

    yield new
    for context in contexts:
        context.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_concern_left_online_is_followed_by_its_receipt_number(
    phone_page, transactional_territory, places, actors, settings
):
    settings.PUBLIC_POW_BITS = 12  # solved by the page's pow.js; kept quick for the test
    settings.PUBLIC_MIN_FILL_SECONDS = 1
    place = places["taounate_a"]
    commune, dossier = place.node, place.dossier
    place.mandate  # noqa: B018  (an elected member of the commune to carry the dossier)
    water = Category.objects.get(code="water")

    # The citizen finds the commune by its Latin name and fills the form, in Arabic.
    citizen = phone_page()
    citizen.goto(citizen.base_url + "/open-doors/concern/")
    assert citizen.locator("html").get_attribute("dir") == "rtl"
    citizen.fill("input[name=q]", commune.name_fr.lower())
    citizen.locator("form.search button").click()
    citizen.click(f"a[href*='commune={commune.code}']")
    citizen.wait_for_selector("textarea[name=description]")
    citizen.select_option("select[name=category]", str(water.pk))
    citizen.fill("textarea[name=description]", "Water cut in the douar for a week")
    citizen.select_option("select[name=urgency]", "high")
    assert not citizen.is_visible("input[name=contact_phone]")  # only when an answer is asked
    citizen.check("input[name=wants_answer]")
    citizen.fill("input[name=contact_name]", "Citizen Online")
    citizen.fill("input[name=contact_phone]", "06 61 23 45 67")
    citizen.check("input[name=contact_consent]")
    assert no_sideways_scroll(citizen)
    screenshot(citizen, "concern_form_ar_390")
    citizen.wait_for_timeout(1000)  # a person takes longer than the minimum to fill a form
    citizen.click("form.pub-form button[type=submit]")  # pow.js sends it once the proof is found

    # The receipt page: the number to keep.
    citizen.wait_for_url(re.compile(r"/open-doors/follow/\?"))
    receipt = citizen.inner_text("[data-receipt]").strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", receipt)
    screenshot(citizen, "concern_receipt_ar_390")
    submission = PublicSubmission.objects.get(receipt=receipt)
    assert (submission.status, submission.reason) == (SubmissionStatus.ACCEPTED, "")  # real proof
    concern = Concern.objects.get(client_key=receipt, recorded_by=None)
    assert (concern.dossier_id, concern.contact_phone) == (dossier.pk, "+212661234567")
    assert citizen.get_attribute("[data-stage]", "data-stage") == "received"
    assert no_sideways_scroll(citizen)

    # Later, on another phone, the citizen follows it by the number alone (typed loosely).
    follower = phone_page()
    follower.goto(follower.base_url + "/open-doors/follow/")
    follower.fill("input[name=receipt]", receipt.lower().replace("-", " "))
    follower.locator("form.search button").click()
    follower.wait_for_selector("[data-stage]")
    assert follower.get_attribute("[data-stage]", "data-stage") == "received"

    # A secretary of the province hands the dossier over and carries it to the council.
    secretary = phone_page()
    log_in(secretary, "taounate")
    secretary.goto(secretary.base_url + f"/listening/dossiers/{dossier.pk}/")
    secretary.check("input[name=mandates]")
    secretary.click("button[name=handover]")
    secretary.wait_for_selector("select[name=status]")
    secretary.select_option("select[name=status]", DossierStatus.COUNCIL)
    secretary.fill("input[name=note]", "Raised at the council's session")
    secretary.locator("form.card", has=secretary.locator("select[name=status]")).locator(
        "button[type=submit]"
    ).click()
    secretary.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.COUNCIL

    # The public page shows the new status, and nothing personal.
    follower.reload()
    follower.wait_for_selector("[data-stage]")
    assert follower.get_attribute("[data-stage]", "data-stage") == "in_dossier"
    assert follower.inner_text("[data-detail]") == in_arabic("Carried to the council")
    html = follower.content()
    for secret in ("Water cut", "Citizen Online", "661234567", "douar"):
        assert secret not in html
    assert no_sideways_scroll(follower)
    screenshot(follower, "concern_follow_ar_390")

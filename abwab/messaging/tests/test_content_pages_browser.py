"""Issue 16's screens at a phone's width, in Arabic and French: the consent ledger, the compose
screen with its preview and cost, the memo page and the password reset form fit 390 px without
scrolling sideways."""

import pytest

from abwab.messaging.tests.helpers import NEWS_BY_EMAIL, person_with
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issue_16_screens_fit_a_phone(
    browser, live_server, transactional_territory, actors, places
):
    place = places["taounate_a"]
    person = person_with(place.node, 1, consents=NEWS_BY_EMAIL, phone="+212661000001")
    campaign = place.event.campaign
    for language in ("ar", "fr"):
        context = browser.new_context(
            locale="ar-MA" if language == "ar" else "fr-FR", viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        log_in(page, "taounate")
        if language == "fr":  # the header's language switch, as a user would
            page.click("form.lang button[value=fr]")
            page.wait_for_load_state()
        pages = {
            "consents": f"/people/{person.pk}/consents/",
            "memo": f"/campaigns/{campaign.pk}/memo/",
            "compose": "/messages/compose/?gender=",
        }
        for name, path in pages.items():
            page.goto(live_server.url + path)
            if name == "compose":
                page.fill("#id_body_ar", "السلام {first_name}، لقاء تواصلي يوم السبت.")
                page.fill("#id_body_fr", "Rencontre samedi – venez nombreux")
                page.check("input[name=by_sms]")
                page.click("button[value=preview]")
                page.wait_for_selector("#compose-cost [data-stray]")
            expected_dir = "rtl" if language == "ar" else "ltr"
            assert page.locator("html").get_attribute("dir") == expected_dir, (name, language)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
                f"{name} scrolls sideways in {language}"
            )
            screenshot(page, f"issue16_{name}_390_{language}")
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/password/reset/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        context.close()

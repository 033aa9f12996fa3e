"""In Chromium, in Arabic: a volunteer checks a visitor in, signs them up, is warned of the duplicate."""

import re

import pytest

from abwab.people.models import Membership, Person
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_visitor(page, name: str) -> None:
    page.fill("input[name=name]", name)
    page.check("input[name=purpose][value=membership]")


def test_volunteer_signs_up_a_visitor_and_sees_the_duplicate_warning(
    page, transactional_territory, actors, places
):
    event = places["taounate_a"].event
    log_in(page, "volunteer")
    page.goto(page.base_url + f"/campaigns/events/{event.pk}/door/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    fill_visitor(page, "محمد العلوي")
    page.fill("input[name=phone]", "0661234567")
    # The name is typed once: the person's first and last names are read from it.
    page.fill("input[name=signup-birth_date]", "1990-02-03")
    page.check("input[name=signup-consent]")
    page.click("button.big")
    page.wait_for_url(re.compile(r"/campaigns/cards/\d+/"))
    card = page.locator(".card-number").inner_text()
    assert re.fullmatch(r"03-\d{4}-\d{6}", card)
    assert page.locator(".qr svg").count() == 1
    screenshot(page, "door-card-ar")

    page.click("#next-visitor")  # one tap back to an empty desk, the name field focused
    page.wait_for_url(re.compile(rf"/campaigns/events/{event.pk}/door/$"))
    assert page.evaluate("document.activeElement.name") == "name"
    fill_visitor(page, "Mohammed El Alaoui")
    page.fill("input[name=signup-birth_date]", "1990-02-03")
    page.check("input[name=signup-consent]")
    page.click("button.big")
    warning = page.locator("#duplicate-warning")
    warning.wait_for()
    assert "محمد" in warning.inner_text() and card in warning.inner_text()
    screenshot(page, "door-duplicate-ar")
    page.check("input[name=signup-consent]")
    warning.locator("button[name=signup-existing]").first.click()
    page.wait_for_load_state()
    assert card in page.content()  # already a member: the desk is told the card number
    assert Person.objects.filter(last_name_ar="العلوي").count() == 1
    assert Membership.objects.filter(person__last_name_ar="العلوي").count() == 1

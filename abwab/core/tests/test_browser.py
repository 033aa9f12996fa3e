"""In a real browser: log in, and the Arabic page is laid out right to left."""

import pytest

from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provincial_secretary_logs_in_and_reads_arabic_right_to_left(
    page, transactional_territory, actors
):
    log_in(page, "taounate")
    page.wait_for_url(page.base_url + "/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    # Laid out right to left: the brand starts at the right edge of the top bar.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > 412 - 60
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    )  # CSS loaded
    assert "تاونات" in page.content()  # the scope's Arabic name is shown
    screenshot(page, "home-taounate-ar")
    page.goto(page.base_url + f"/territory/{actors.taounate.role_assignments.get().territory.pk}/")
    assert "office-taounate_a" in page.content()
    assert "office-meknes" not in page.content()


def test_switching_to_french_turns_the_page_left_to_right(page, transactional_territory, actors):
    log_in(page, "taounate")
    page.wait_for_url(page.base_url + "/")
    page.click("button[name=language][value=fr]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "fr"
    screenshot(page, "home-taounate-fr")

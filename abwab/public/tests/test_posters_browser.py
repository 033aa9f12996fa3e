"""In Chromium at a phone's width, in Arabic: the poster and the share page fit the screen, the copy
button (shown only when JavaScript runs) copies the very text of the box, and the poster prints on
one A4 page."""

import io

import pytest
from pypdf import PdfReader

from abwab.public.tests.test_posters import make_campaign, make_event
from conftest import TAOUNATE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_poster_and_share_page_on_a_phone(browser, live_server, transactional_territory, places):
    campaign = make_campaign(places["taounate_a"].event.campaign.territory)
    event = make_event(campaign, places["taounate_a"].node, name="Alpha")
    context = browser.new_context(locale="ar-MA", viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        # The poster, in Arabic, fits the phone and shows its QR code
        page.goto(f"{live_server.url}/open-doors/event/{event.pk}/poster/?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("#poster-qr svg").is_visible()
        assert no_sideways_scroll(page)
        screenshot(page, "public-poster-ar-390")
        # Printed, it is one A4 page
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
        page.emulate_media(media="screen")
        # The share page: the box holds the text, the copy button copies it
        page.goto(f"{live_server.url}/open-doors/p/{TAOUNATE}/share/?lang=ar")
        assert no_sideways_scroll(page)
        button = page.locator("#share-copy")
        assert button.is_visible()
        text = page.locator("#share-text").input_value()
        assert "مقر Alpha" in text
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == text
        screenshot(page, "public-share-ar-390")
    finally:
        context.close()

"""In Chromium: record a meeting, write and publish its communiqué, read it on the public page."""

import datetime
import io

import pytest
from pypdf import PdfReader

from abwab.people.models import Function
from abwab.people.services import position_assign
from abwab.people.tests.factories import PersonFactory
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_meeting_to_published_communique(page, transactional_territory, actors, places):
    body = places["taounate_a"].body
    secretary = PersonFactory(
        first_name_ar="سعيد",
        last_name_ar="الإدريسي",
        first_name_latin="Said",
        last_name_latin="Idrissi",
        territory=places["taounate_a"].node,
    )
    position_assign(
        person=secretary,
        body=body,
        function=Function.LOCAL_SECRETARY,
        starts_on=datetime.date(2024, 1, 1),
    )
    log_in(page, "taounate")
    page.goto(page.base_url + "/meetings/")
    page.select_option("#id_body", str(body.pk))
    page.fill("#id_starts_at", "2026-11-29T10:00")
    page.click("form[action$='/meetings/new/'] button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    page.select_option(f"select[name=presence-{secretary.pk}]", "present")
    page.click("button[value=attendance]")
    page.fill("#id_title", "التحضير لأيام الأبواب المفتوحة")
    page.fill("#id_summary", "تعبئة المتطوعين")
    page.click("button[value=agenda]")
    page.fill("#id_text", "فتح المقر يوميا طيلة أيام الحملة")
    page.click("button[value=decision]")
    page.click("button[value=hold]")
    page.click("#write button[value=ar]")
    page.wait_for_url("**/meetings/communiques/*/")
    text = page.input_value("#id_text")
    assert (
        "يوم الأحد 29 نونبر 2026" in text
        and "فتح المقر يوميا طيلة أيام الحملة" in text
        and "السيد سعيد الإدريسي" in text
    )
    page.click("button[value=submit]")
    page.wait_for_url("**/meetings/communiques/*/")
    communique_url = page.url
    page.context.clear_cookies()
    log_in(page, "media")  # the media office approves and publishes
    page.wait_for_url(page.base_url + "/")
    page.goto(communique_url)
    page.click("button[value=approve]")
    page.wait_for_url(communique_url)
    page.click("button[value=publish]")
    page.wait_for_url("**/news/*/")
    slug = page.url.rstrip("/").rsplit("/", 1)[1]
    page.context.clear_cookies()
    page.goto(page.base_url + f"/news/{slug}/")
    article = page.locator("article.communique")
    assert article.get_attribute("dir") == "rtl"
    assert "فتح المقر يوميا طيلة أيام الحملة" in article.inner_text()
    screenshot(page, "communique-public-ar")
    pdf = page.request.get(page.base_url + f"/news/{slug}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    extracted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    # Words come back whole; numbers beside them may be reordered, so the month is checked as text.
    assert {"بلاغ", "الإدريسي", "المقر", "الأحد"} <= {w.strip(".،") for w in extracted.split()}
    assert "نونبر" in extracted

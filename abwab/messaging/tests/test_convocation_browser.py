"""In Chromium at a phone's width, in Arabic: a secretary convokes a meeting; the invitee opens the
reply link from the email the local SMTP server received and answers "excused"; the meeting page
shows the expected attendance."""

import datetime
import re

import pytest
from django.utils import timezone

from abwab.meetings.models import Attendance, Meeting, Reply
from abwab.messaging.tests.helpers import CONVOCATION_BY_EMAIL, person_with
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+/meetings/reply/\S+/")


def phone_page(browser, live_server):
    context = browser.new_context(locale="ar-MA", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return page


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_convocation_reply_and_expected_attendance(
    browser, live_server, smtp_settings, smtp_server, transactional_territory, actors, places
):
    place = places["taounate_a"]
    meeting = Meeting.objects.create(
        body=place.body,
        starts_at=timezone.now() + datetime.timedelta(days=4),
        office=place.office,
    )
    invitee = person_with(place.node, 1, consents=CONVOCATION_BY_EMAIL, prefix="invitee")
    Attendance.objects.create(meeting=meeting, person=invitee)

    secretary = phone_page(browser, live_server)
    log_in(secretary, "taounate")
    secretary.goto(f"{secretary.base_url}/meetings/{meeting.pk}/")
    assert secretary.locator("html").get_attribute("dir") == "rtl"
    secretary.click("button[value=convoke]")
    secretary.wait_for_selector("#hold p.muted")  # "Convocation sent on …"
    meeting.refresh_from_db()
    assert meeting.convoked_at is not None

    mails = smtp_server.mailbox(invitee.email)
    assert len(mails) == 1
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert place.body.name_ar in mails[0]["Subject"]
    link = LINK.search(body)[0]

    citizen = phone_page(browser, live_server)
    citizen.goto(link)
    assert citizen.locator("html").get_attribute("dir") == "rtl"
    assert no_sideways_scroll(citizen)
    screenshot(citizen, "convocation_reply_390_ar")
    citizen.click(f"#reply-form button[value={Reply.EXCUSED}]")
    citizen.wait_for_selector("#reply-saved")
    assert Attendance.objects.get(meeting=meeting, person=invitee).reply == Reply.EXCUSED

    secretary.goto(f"{secretary.base_url}/meetings/{meeting.pk}/")
    expected = secretary.locator("#expected-attendance")
    numbers = re.findall(r"\d+", expected.inner_text())
    assert numbers == ["0", "1", "0"]
    assert no_sideways_scroll(secretary)
    screenshot(secretary, "convocation_expected_390_ar")
    citizen.context.close()
    secretary.context.close()

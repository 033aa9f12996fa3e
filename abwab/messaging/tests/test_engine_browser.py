"""The engine's screens at a phone's width (390 px), Arabic and French: the unsubscribe page a
person reaches from an email, and a send's page where its secretary follows each recipient."""

import pytest
from django.urls import reverse

from abwab.messaging.email import unsubscribe_token
from abwab.messaging.engine import queue_send, send_run
from abwab.messaging.tests.helpers import (
    CONVOCATION_BY_EMAIL,
    NEWS_BY_EMAIL,
    person_with,
    send_for,
)
from abwab.people.models import ConsentPurpose
from abwab.territory.models import Territory
from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_unsubscribing_from_a_phone_in_arabic_then_french(page, transactional_territory):
    commune = Territory.objects.filter(level=3).order_by("code").first()
    person = person_with(commune, 1, consents=NEWS_BY_EMAIL)
    token = unsubscribe_token(person_id=person.pk, purpose=ConsentPurpose.NEWS, medium="email")
    url = page.base_url + reverse("messaging:unsubscribe", kwargs={"token": token})
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("#unsubscribe", "data-state") == "confirm"
    assert _overflow(page) <= 0
    page.click("#unsubscribe button[type=submit]")
    page.wait_for_selector("#unsubscribe[data-state=done]")
    assert person.consents.get().withdrawn_at is not None
    page.click("text=Français")
    page.wait_for_selector("html[lang=fr]")
    assert page.get_attribute("#unsubscribe", "data-state") == "already"
    assert page.get_attribute("html", "dir") == "ltr" and _overflow(page) <= 0


def test_a_sends_page_fits_a_phone(page, transactional_territory, actors, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    taounate = Territory.objects.get(code="03.531")
    commune = taounate.children.order_by("code").first()
    people = [
        person_with(commune, n, consents=CONVOCATION_BY_EMAIL, prefix="a-rather-long-address-")
        for n in range(3)
    ]
    people.append(person_with(commune, 9))
    send = send_for(commune, actor=actors.taounate)  # a convocation: no quiet hours
    queue_send(actors.taounate, send, people)
    send_run(send.pk)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "taounate")
    page.wait_for_url(page.base_url + "/")
    for language in ("ar", "fr"):
        if language == "fr":
            page.click("button[name=language][value=fr]")
            page.wait_for_load_state()
        page.goto(page.base_url + reverse("messaging:send", kwargs={"pk": send.pk}))
        assert page.locator("#recipients tbody tr").count() == 4
        assert page.locator("#recipients tr[data-status=refused]").count() == 1
        assert page.inner_text("#count-done") == "3"
        assert _overflow(page) <= 0, f"{language}: sideways scroll"

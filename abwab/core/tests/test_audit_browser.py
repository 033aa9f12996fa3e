"""The audit log at a phone's width (390 px): rows stack into cards, nothing scrolls sideways."""

import datetime

import pytest
from django.utils import timezone

from abwab.core.models import AuditEntry
from abwab.territory.models import Territory
from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_log_fits_a_phone_in_both_languages(page, transactional_territory, actors):
    taounate = Territory.objects.get(code="03.531")
    for number in range(5):
        AuditEntry.objects.create(
            actor_label="a-rather-long-user-name-" + str(number),
            action="read_list",
            object_type="people.Person",
            count=120,
            method="GET",
            path="/people/?q=a-long-search&status=active&gender=F&page=" + "9" * 40,
            address="2001:db8:85a3::8a2e:370:7334",
            reason="liste pour la réunion du bureau provincial " * 3,
            at=timezone.now() - datetime.timedelta(minutes=number),
            territory=taounate,
        )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "auditor")
    page.wait_for_url(page.base_url + "/")
    for language in ("ar", "fr"):
        if language == "fr":
            page.click("button[name=language][value=fr]")
            page.wait_for_load_state()
        page.goto(page.base_url + "/audit/")
        assert page.locator("table.audit tbody tr").count() >= 5  # and the sign-in itself
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{language}: {overflow} px of sideways scroll"

"""Issue 14's growth screens in Chromium at 390 px, in Arabic then in French: a commune's local
secretariat founded from the coverage page, a programme of meetings planned and read on the
calendar, a door device's token issued and revoked. No page scrolls sideways."""

import pytest

from abwab.accounts.models import ApiToken
from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from abwab.core.roles import Role
from abwab.meetings.models import Founding, FoundingStatus, Programme
from abwab.territory.models import Body, BodyKind, Territory
from abwab.territory.services import body_create
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def found_a_secretariat(page, base, commune, names, lang):
    page.goto(f"{base}/meetings/coverage/?territory=03.531")
    no_sideways_scroll(page)
    screenshot(page, f"growth-coverage-{lang}")
    page.click(f"li[data-code='{commune.code}'] a.plan-founding")
    page.wait_for_url("**/meetings/foundings/new/*")
    page.fill("#id_starts_at", "2027-01-09T17:00")
    page.fill("#id_place", "دار الشباب")
    page.fill("#id_place_fr", "la maison des jeunes")
    no_sideways_scroll(page)
    screenshot(page, f"growth-founding-plan-{lang}")
    page.click("#founding-plan button[type=submit]")
    page.wait_for_url("**/meetings/foundings/*/")
    for first, last, gender in names:
        page.click("#new-founder summary")
        page.fill("#id_new_first_name_ar", first)
        page.fill("#id_new_last_name_ar", last)
        page.select_option("#id_new_gender", gender)
        page.click("#new-founder button[type=submit]")
        page.wait_for_selector(f"#founders li:has-text('{first}')")
    founders = page.locator("#founders li[data-person]").evaluate_all(
        "items => items.map(i => i.dataset.person)"
    )
    page.select_option("#id_local_secretary", founders[0])
    page.select_option("#id_deputy_secretary", founders[1])
    page.select_option("#id_treasurer", founders[2])
    no_sideways_scroll(page)
    screenshot(page, f"growth-founding-record-{lang}")
    page.click("#record button[type=submit]")
    page.wait_for_selector("#founding-status[data-status='founded']")
    no_sideways_scroll(page)
    screenshot(page, f"growth-founding-done-{lang}")
    page.goto(f"{base}/meetings/coverage/?territory=03.531")
    assert page.get_attribute(f"li[data-code='{commune.code}']", "data-state") == "founded"


def test_growth_screens_in_arabic_and_french(page, transactional_territory, settings):
    settings.REQUIRE_2FA = False
    region, taounate = Territory.objects.get(code="03"), Territory.objects.get(code="03.531")
    RoleAssignmentFactory(
        user=UserFactory(username="fes_meknes"), role=Role.REGIONAL_SECRETARY, territory=region
    )
    RoleAssignmentFactory(
        user=UserFactory(username="taounate"), role=Role.PROVINCIAL_SECRETARY, territory=taounate
    )
    regional = body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=region,
        name_ar="الأمانة الجهوية لجهة فاس مكناس",
        name_fr="Secrétariat régional de Fès-Meknès",
    )
    communes = list(taounate.children.filter(level=3).order_by("code")[:2])
    page.set_viewport_size({"width": WIDTH, "height": 844})
    base = page.base_url

    # Arabic: the provincial secretary founds a commune's secretariat
    log_in(page, "taounate")
    page.wait_for_url(base + "/")
    found_a_secretariat(
        page,
        base,
        communes[0],
        [("خديجة", "البقالي", "F"), ("يوسف", "العلمي", "M"), ("سناء", "الوزاني", "F")],
        "ar",
    )
    assert page.locator("#coverage-total").inner_text().count("1") >= 1
    # … and issues a door token limited to the province
    page.goto(f"{base}/accounts/tokens/")
    page.fill("#id_name", "لوحة مقر تاونات")
    page.select_option("#id_limit", "territory")
    page.select_option("#id_territory", "03.531")
    page.fill("#id_expires_on", "2027-06-30")
    page.click("#issue button[type=submit]")
    page.wait_for_selector("#token-secret")
    assert page.inner_text("#token-secret").startswith("abw_")
    no_sideways_scroll(page)
    screenshot(page, "growth-tokens-ar")
    page.context.clear_cookies()

    # Arabic: the regional secretary plans a meeting in every province, reads the calendar
    log_in(page, "fes_meknes")
    page.wait_for_url(base + "/")
    page.goto(f"{base}/meetings/programmes/")
    page.fill("#id_name_ar", "اجتماع الأمانة الجهوية في كل إقليم")
    page.fill("#id_name_fr", "Le secrétariat régional dans chaque province")
    page.select_option("#id_pattern", "each_place")
    page.select_option("#id_body", str(regional.pk))
    page.fill("#id_starts_at", "2027-01-16T10:00")
    page.select_option("#id_spacing", "monthly")
    no_sideways_scroll(page)
    page.click("#programme-plan button[type=submit]")
    page.wait_for_selector("section[id^='programme-']")
    no_sideways_scroll(page)
    screenshot(page, "growth-programmes-ar")
    page.goto(f"{base}/meetings/calendar/?territory=03.531&month=2027-01")
    assert "يناير 2027" in page.inner_text("#month h2")
    # January: the founding meeting held on the 9th (the programme's first stop is Meknès)
    assert page.locator("#agenda li").count() == 1
    page.goto(f"{base}/meetings/calendar/?territory=03&month=2027-01")
    assert page.locator("#agenda li").count() == 2  # and the region's meeting in its first province
    no_sideways_scroll(page)
    screenshot(page, "growth-calendar-ar")

    # French: the same screens
    page.click(".lang button[value=fr]")
    page.wait_for_selector("html[lang=fr]")
    page.goto(f"{base}/meetings/calendar/?territory=03.531&month=2027-01")
    assert "janvier 2027" in page.inner_text("#month h2")
    no_sideways_scroll(page)
    screenshot(page, "growth-calendar-fr")
    page.goto(f"{base}/meetings/programmes/")
    no_sideways_scroll(page)
    screenshot(page, "growth-programmes-fr")
    page.context.clear_cookies()
    log_in(page, "taounate")
    page.wait_for_url(base + "/")
    page.click(".lang button[value=fr]")
    page.wait_for_selector("html[lang=fr]")
    found_a_secretariat(
        page,
        base,
        communes[1],
        [("Amina", "Tazi", "F"), ("Karim", "Fassi", "M"), ("Nadia", "Alami", "F")],
        "fr",
    )
    page.goto(f"{base}/accounts/tokens/")
    page.click("#tokens li[data-state=active] button[name=revoke]")
    page.wait_for_selector("#tokens li[data-state=revoked]")
    no_sideways_scroll(page)
    screenshot(page, "growth-tokens-fr")

    assert Founding.objects.filter(status=FoundingStatus.FOUNDED).count() == 2
    assert Body.objects.filter(kind=BodyKind.LOCAL_SECRETARIAT).count() == 2
    assert Programme.objects.get().meetings.count() == 9
    assert ApiToken.objects.get().revoked_at is not None

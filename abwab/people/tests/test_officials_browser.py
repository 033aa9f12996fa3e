"""In Chromium at 390 px, in Arabic: the regional secretary creates a body, appoints its office
holders (a new person, a person found by CIN), sees a vacancy, and enters an MP's mandate."""

import pytest

from abwab.people.models import Mandate, Position
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Body, Territory
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_regional_secretary_records_the_secretariat_and_a_mandate(
    page, transactional_territory, actors, settings
):
    settings.REQUIRE_2FA = False  # the second factor is tested apart; this is about the screens
    page.set_viewport_size({"width": WIDTH, "height": 844})
    region = Territory.objects.get(code="03")
    taounate_commune = Territory.objects.get(code="03.531").children.order_by("code").first()
    known = PersonFactory(
        first_name_ar="يوسف",
        last_name_ar="برادة",
        gender="M",
        cin="CD123456",
        territory=taounate_commune,
    )
    log_in(page, "fes_meknes")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/territory/{region.pk}/")
    page.click(f"a[href$='/territory/bodies/new/?territory={region.code}']")
    page.select_option("#id_kind", "regional_secretariat")
    page.fill("#id_name_ar", "الكتابة الجهوية لجهة فاس مكناس")
    page.fill("#id_name_fr", "Secrétariat régional de Fès-Meknès")
    no_sideways_scroll(page)
    screenshot(page, "body-new-ar-390")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/people/bodies/*/")
    body = Body.objects.get(kind="regional_secretariat", territory=region)

    # A new person, appointed regional secretary.
    page.select_option("#id_function", "regional_secretary")
    page.fill("#id_starts_on", "2024-11-10")
    page.fill("#id_new_first_name_ar", "نادية")
    page.fill("#id_new_last_name_ar", "العلوي")
    page.select_option("#id_new_gender", "F")
    page.fill("#id_new_territory", taounate_commune.code)
    page.click("#appoint form[method=post] button[type=submit]")
    page.wait_for_url(f"**/people/bodies/{body.pk}/")

    # A known person, found by CIN, appointed treasurer.
    page.fill("#id_q", "CD123456")
    page.click("#appoint button[name=search]")
    page.wait_for_url("**q=CD123456**")
    page.check(f"input[name=person][value='{known.pk}']")
    page.select_option("#id_function", "treasurer")
    page.fill("#id_starts_on", "2024-11-10")
    page.click("#appoint form[method=post] button[type=submit]")
    page.wait_for_url(f"**/people/bodies/{body.pk}/")

    holders = page.locator("#holders").inner_text()
    assert "الأمينة الجهوية" in holders and "نادية العلوي" in holders
    assert "أمين المال" in holders and "يوسف برادة" in holders
    assert "10 نونبر 2024" in holders
    assert page.locator("#vacancies").inner_text().strip() == "نائب الأمين"
    assert page.locator("html").get_attribute("dir") == "rtl"
    no_sideways_scroll(page)
    screenshot(page, "body-regional-secretariat-ar-390")
    assert list(
        Position.objects.filter(body=body).values_list("function", "person__last_name_ar")
    ) == [("regional_secretary", "العلوي"), ("treasurer", "برادة")]

    # The MP's mandate for Taounate, from the officials page.
    page.goto(page.base_url + "/people/officials/?territory=03")
    page.fill("#id_q", "CD123456")
    page.click("#mandate button[name=search]")
    page.wait_for_url("**q=CD123456**")
    page.check(f"input[name=person][value='{known.pk}']")
    page.select_option("#id_institution", "parliament")
    page.select_option("#id_role", "member")
    page.select_option("#id_territory", "03.531")
    page.fill("#id_starts_on", "2021-10-01")
    page.click("#mandate form[method=post] button[type=submit]")
    page.wait_for_url("**/people/officials/?territory=03.531")
    assert "النائب البرلماني" in page.locator("#officials").inner_text()
    screenshot(page, "officials-taounate-ar-390")
    no_sideways_scroll(page)
    assert Mandate.objects.get(person=known).territory.code == "03.531"

    page.click("button[name=language][value=fr]")
    page.wait_for_load_state()
    page.goto(page.base_url + f"/people/bodies/{body.pk}/")
    holders = page.locator("#holders").inner_text()
    assert "secrétaire régionale" in holders and "10 novembre 2024" in holders
    no_sideways_scroll(page)
    screenshot(page, "body-regional-secretariat-fr-390")

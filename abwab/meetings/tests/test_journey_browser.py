"""The domain map's meeting in Chromium, in Arabic at 390 px, through the screens alone.

The database holds the territory (with the party unit Fès North, which only the national
administrator creates) and two accounts: the regional secretary and the media officer of
Fès-Meknès. The secretary records the bodies and their office holders, the mandates, plans the
meeting with its chair and place, invites, records attendance, agenda and decisions, holds it and
drafts the communiqué; the media officer edits, approves and publishes it; the published Arabic
text is read back (and is the golden file plus the media office's sentence)."""

from pathlib import Path

import pytest

from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from abwab.core.roles import Role
from abwab.meetings.models import Communique, Meeting
from abwab.meetings.tests.domain import FES_NORTH_ARRONDISSEMENTS, PROVINCIAL_SECRETARIES
from abwab.people.models import Person
from abwab.territory.models import Body, Territory
from abwab.territory.services import party_unit_create
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390
GOLDEN = Path(__file__).parent / "golden" / "regional_secretariat.ar.txt"
AGDAL = "03.231.01.01"
EDIT = "وقد حضر الاجتماع ستة عشر مدعوا."


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def test_seed_journey(page, transactional_territory, settings):
    settings.REQUIRE_2FA = False  # the second factor is tested apart; this is about the screens
    party_unit_create(
        code="fes-north",
        name_ar="فاس الشمالية",
        name_fr="Fès Nord",
        territory_codes=FES_NORTH_ARRONDISSEMENTS,
    )
    region = Territory.objects.get(code="03")
    for username, role in (("fes_meknes", Role.REGIONAL_SECRETARY), ("media", Role.MEDIA_OFFICER)):
        RoleAssignmentFactory(user=UserFactory(username=username), role=role, territory=region)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    base = page.base_url
    log_in(page, "fes_meknes")
    page.wait_for_url(base + "/")

    def body(kind, name_ar, name_fr, territory="03", unit=""):
        page.goto(f"{base}/territory/bodies/new/?territory={territory}")
        page.select_option("#id_kind", kind)
        if unit:
            page.select_option("#id_party_unit", unit)
        page.fill("#id_name_ar", name_ar)
        page.fill("#id_name_fr", name_fr)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/people/bodies/*/")
        return page.url

    def appoint(url, function, first, last, first_fr, last_fr, gender):
        if page.url != url:
            page.goto(url)
        page.select_option("#id_function", function)
        page.fill("#id_starts_on", "2023-01-01")
        page.fill("#id_new_first_name_ar", first)
        page.fill("#id_new_last_name_ar", last)
        page.fill("#id_new_first_name_latin", first_fr)
        page.fill("#id_new_last_name_latin", last_fr)
        page.select_option("#id_new_gender", gender)
        page.fill("#id_new_territory", AGDAL)
        page.click("#appoint form[method=post] button[type=submit]")
        page.wait_for_url(url)

    def mandate(institution, role, territory, first, last, first_fr, last_fr, gender):
        page.goto(f"{base}/people/officials/?territory=03")
        page.select_option("#id_institution", institution)
        page.select_option("#id_role", role)
        page.select_option("#id_territory", territory)
        page.fill("#id_starts_on", "2023-01-01")
        page.fill("#id_new_first_name_ar", first)
        page.fill("#id_new_last_name_ar", last)
        page.fill("#id_new_first_name_latin", first_fr)
        page.fill("#id_new_last_name_latin", last_fr)
        page.select_option("#id_new_gender", gender)
        page.fill("#id_new_territory", AGDAL)
        page.click("#mandate form[method=post] button[type=submit]")
        page.wait_for_load_state()

    # The bodies and their office holders.
    secretariat = body("regional_secretariat", "الأمانة الجهوية", "Secrétariat régional")
    appoint(secretariat, "regional_secretary", "كريم", "بناني", "Karim", "Bennani", "M")
    appoint(secretariat, "deputy_secretary", "نادية", "العلوي", "Nadia", "Alaoui", "F")
    appoint(secretariat, "treasurer", "يوسف", "برادة", "Youssef", "Berrada", "M")
    women = body("womens_organisation", "منظمة النساء", "Organisation des femmes")
    appoint(women, "president", "لطيفة", "بنجلون", "Latifa", "Benjelloun", "F")
    group = body("council_group", "فريق الحزب بمجلس الجهة", "Groupe au conseil régional")
    appoint(group, "group_head", "مصطفى", "العمراني", "Mustapha", "Amrani", "M")
    for where, first, last, first_fr, last_fr, gender in PROVINCIAL_SECRETARIES:
        if where == "fes-north":
            url = body("provincial_secretariat", "الأمانة الإقليمية", "SP", "03.231", unit=where)
        else:
            url = body("provincial_secretariat", "الأمانة الإقليمية", "SP", where)
        appoint(url, "provincial_secretary", first, last, first_fr, last_fr, gender)
    ifrane = body("provincial_secretariat", "الأمانة الإقليمية", "SP", "03.271")
    appoint(ifrane, "provincial_secretary", "إدريس", "اليفراني", "Driss", "Ifrani", "M")
    mandate("regional_council", "president", "03", "أحمد", "الطاهري", "Ahmed", "Tahiri", "M")
    mandate("parliament", "member", "03.231", "سميرة", "الفاسي", "Samira", "Fassi", "F")
    mandate("parliament", "member", "03.531", "عمر", "الإدريسي", "Omar", "Idrissi", "M")
    assert Body.objects.count() == 11 and Person.objects.count() == 16

    # The meeting: planned with its place, then its chair.
    page.goto(base + "/meetings/")
    regional = Body.objects.get(kind="regional_secretariat")
    page.select_option("#id_body", str(regional.pk))
    page.fill("#id_starts_at", "2024-11-10T10:00")
    page.fill("#id_place", "المقر الجهوي للحزب بفاس")
    page.fill("#id_place_fr", "le siège régional du parti à Fès")
    no_sideways_scroll(page)
    screenshot(page, "meetings-list-ar-390")
    page.click("#plan button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    detail = page.url
    chair = Person.objects.get(last_name_ar="بناني")
    page.select_option("#id_chair", str(chair.pk))
    page.click("#details button[value=details]")
    page.wait_for_url(detail)
    # Invitations: everyone the officials list offers, and three groups.
    boxes = page.locator("#invite input[type=checkbox]:not([disabled])")
    assert boxes.count() == 13  # the secretariat's three were invited when it was planned
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.click("#invite button[value=invite]")
    page.wait_for_url(detail)
    for group_kind in ("secretariat_members", "council_presidents", "directors"):
        page.select_option("#id_group", group_kind)
        page.click("#guests button[value=group]")
        page.wait_for_url(detail)
    # Attendance: all present but the secretary of Ifrane, excused.
    excused = Person.objects.get(last_name_ar="اليفراني")
    selects = page.locator("select[name^=presence-]")
    assert selects.count() == 16
    for index in range(selects.count()):
        select = selects.nth(index)
        name = select.get_attribute("name")
        select.select_option("excused" if name == f"presence-{excused.pk}" else "present")
    page.click("button[value=attendance]")
    page.wait_for_url(detail)
    for title, title_fr, summary in (
        (
            "التحضير لأيام الأبواب المفتوحة",
            "la préparation des journées portes ouvertes",
            "ناقش المجتمعون برنامج الأيام وتوزيع المتطوعين على المقرات",
        ),
        ("تقييم أداء المنتخبين", "l'évaluation du travail des élus", ""),
    ):
        page.fill("#id_title", title)
        page.fill("#id_title_fr", title_fr)
        page.fill("#id_summary", summary)
        page.click("button[value=agenda]")
        page.wait_for_url(detail)
    for text, due in (
        ("تعميم الأبواب المفتوحة على جميع مقرات الحزب بالجهة", "2024-12-01"),
        ("عقد اجتماعات الأمانات الإقليمية قبل نهاية الشهر", ""),
    ):
        page.fill("#id_text", text)
        page.fill("#id_due_on", due)
        page.click("button[value=decision]")
        page.wait_for_url(detail)
    no_sideways_scroll(page)
    screenshot(page, "meeting-detail-ar-390")
    page.click("button[value=hold]")
    page.wait_for_url(detail)
    assert Meeting.objects.get().status == "held"
    assert "1/2024" in page.locator("#decisions").inner_text()
    # The draft, sent to the media office.
    page.click("#write button[value=ar]")
    page.wait_for_url("**/meetings/communiques/*/")
    page.click("button[value=submit]")
    page.wait_for_url("**/meetings/communiques/*/")

    # The media officer edits, approves and publishes.
    page.context.clear_cookies()
    log_in(page, "media")
    page.wait_for_url(base + "/")
    page.goto(base + "/meetings/communiques/")
    no_sideways_scroll(page)
    page.click("#submitted a")
    page.wait_for_url("**/meetings/communiques/*/")
    page.fill("#id_text", page.input_value("#id_text") + "\n\n" + EDIT)
    no_sideways_scroll(page)
    screenshot(page, "communique-edit-ar-390")
    page.click("button[value=approve]")
    page.wait_for_url("**/meetings/communiques/*/")
    page.click("button[value=publish]")
    page.wait_for_url("**/news/*/")

    article = page.locator("article.communique").inner_text()
    for phrase in (
        "يوم الأحد 10 نونبر 2024",
        "بالمقر الجهوي للحزب بفاس",
        "تحت إشراف الأمين الجهوي السيد كريم بناني",
        "نائبة الأمين السيدة نادية العلوي",
        "وأمين المال السيد يوسف برادة",
        "ورئيس مجلس الجهة السيد أحمد الطاهري",
        "والنائبان البرلمانيان السيدة سميرة الفاسي -فاس- والسيد عمر الإدريسي -تاونات-",
        "ورئيسة منظمة النساء بالجهة السيدة لطيفة بنجلون",
        "ورئيس الفريق بمجلس الجهة السيد مصطفى العمراني",
        "والأمناء الإقليميون: السيد يوسف المكناسي -مكناس-، السيد محمد البولماني -بولمان-، "
        "السيد سعيد الحجباوي -الحاجب-، السيد حسن التازي -فاس الشمالية-، "
        "السيدة خديجة الشرايبي -صفرو-، السيد رشيد الكتاني -تاونات- والسيد عبد الله التازي -تازة-",
        "كما حضره أعضاء الأمانة الجهوية، ورؤساء المجالس الجماعية بالجهة، ومديرو الحزب بالجهة.",
        "واعتذر عن الحضور السيد إدريس اليفراني -إفران-.",
        "قررت الأمانة الجهوية تعميم الأبواب المفتوحة على جميع مقرات الحزب بالجهة، "
        "وعقد اجتماعات الأمانات الإقليمية قبل نهاية الشهر.",
        EDIT,
    ):
        assert phrase in article, phrase
    assert article.count("كريم بناني") == 1
    published = Communique.objects.get(status="published")
    golden = GOLDEN.read_text(encoding="utf-8").rstrip("\n")
    assert f"{published.title}\n\n{published.text}" == f"{golden}\n\n{EDIT}"
    no_sideways_scroll(page)
    screenshot(page, "communique-published-ar-390")

    # The same screens in French, at the same width.
    page.context.clear_cookies()
    log_in(page, "fes_meknes")
    page.wait_for_url(base + "/")
    page.click(".lang button[value=fr]")
    page.wait_for_load_state()
    for path, name in (
        ("/meetings/", "meetings-list-fr-390"),
        (detail.removeprefix(base), "meeting-detail-fr-390"),
        ("/meetings/communiques/", "communiques-fr-390"),
    ):
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == "fr"
        no_sideways_scroll(page)
        screenshot(page, name)

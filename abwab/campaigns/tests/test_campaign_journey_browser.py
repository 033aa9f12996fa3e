"""The open-doors campaign in Chromium, in Arabic at 390 px, through the screens alone.

The database holds the territory (with the party unit Fès North, which only the national
administrator creates) and three accounts: the national organiser, the regional secretary of
Fès-Meknès and the provincial secretary of Taounate. The organiser creates the campaign with its
memo (text and document) and targets for every group, and launches it; the region acknowledges it
and splits every group over every province and Fès North; Taounate splits over its communes, opens
offices, plans an event, copies it to the province, delivers the readiness items until the event
is ready and opens it; a commune's local secretariat is founded and the coverage figure moves; the
region plans a meeting of its secretariat in every province; a door device gets a token limited to
the event and signs a visitor up through the API; the dashboards show the progress. The campaign's
screens are then looked at in French."""

import datetime
import json
import re
import urllib.request

import pytest
from django.utils import timezone

from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from abwab.campaigns.models import Campaign, CampaignAcknowledgement, Event, Target
from abwab.campaigns.targets import SPLIT_FIELDS
from abwab.core.roles import Role
from abwab.meetings.models import Meeting
from abwab.territory.models import Body, Office, Territory
from abwab.territory.services import party_unit_create
from conftest import FES_NORTH_ARRONDISSEMENTS, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390
GROUPS = {"new_members": 50_000, "women": 20_000, "youth": 22_500, "professionals": 5_000}
VISITORS = 150_000
TAOUNATE = "03.531"


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def inputs_show_their_value(page) -> None:
    """Every quantity field is wide enough for what it holds (issue 15 saw "100" as "00")."""
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('input.qty')]
              .filter(i => i.scrollWidth > i.clientWidth + 1).map(i => i.name)"""
    )
    assert clipped == [], page.url


def test_campaign_journey(page, transactional_territory, settings):
    settings.REQUIRE_2FA = False  # the second factor is tested apart; this is about the screens
    party_unit_create(
        code="fes-north",
        name_ar="فاس الشمالية",
        name_fr="Fès Nord",
        territory_codes=FES_NORTH_ARRONDISSEMENTS,
    )
    nation, region, taounate = (Territory.objects.get(code=c) for c in ("MA", "03", TAOUNATE))
    for username, role, where in (
        ("organiser", Role.NATIONAL_ADMIN, nation),
        ("fes_meknes", Role.REGIONAL_SECRETARY, region),
        ("taounate", Role.PROVINCIAL_SECRETARY, taounate),
    ):
        RoleAssignmentFactory(user=UserFactory(username=username), role=role, territory=where)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    base = page.base_url
    today = timezone.localdate()

    def sign_in(username):
        page.context.clear_cookies()
        log_in(page, username)
        page.wait_for_url(base + "/")

    # The national organiser writes the campaign, its memo and targets for every group
    sign_in("organiser")
    page.goto(base + "/campaigns/")
    page.click("a[href='/campaigns/new/']")
    page.fill("#id_name_ar", "الأبواب المفتوحة — الدورة الثانية")
    page.fill("#id_name_fr", "Portes ouvertes — 2e édition")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=60)).isoformat())
    page.fill("#id_memo_ar", "تنظم الأمانة الوطنية أياما للأبواب المفتوحة بجميع مقرات الحزب.")
    page.fill("#id_memo_fr", "Journées portes ouvertes dans tous les sièges du parti.")
    page.set_input_files(
        "#id_memo_file",
        {"name": "memo.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 memo"},
    )
    page.fill("#id_goals_ar", "الانفتاح على الشباب والنساء والكفاءات")
    for name, value in {**GROUPS, "visitors": VISITORS}.items():
        page.fill(f"#id_{name}", str(value))
    inputs_show_their_value(page)
    no_sideways_scroll(page)
    screenshot(page, "campaign_new_ar")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    campaign = Campaign.objects.get(name_fr="Portes ouvertes — 2e édition")
    top = Target.objects.get(campaign=campaign, parent=None)
    assert {n: getattr(top, n) for n in SPLIT_FIELDS} == {**GROUPS, "visitors": VISITORS}
    page.click("#split-link")
    page.select_option("#id_method", "population")
    page.click("#split-methods button[name=proportional]")
    page.wait_for_selector(".messages")
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    page.click("button[name=status][value=launched]")
    page.wait_for_selector("#campaign-status")
    campaign.refresh_from_db()
    assert campaign.status == "launched"
    assert page.get_attribute("#memo-document", "href") == "?download=memo"

    # The region acknowledges it and splits every group over every province and Fès North
    sign_in("fes_meknes")
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    page.click("button[name=ack]")
    page.wait_for_selector(".messages")
    assert CampaignAcknowledgement.objects.filter(campaign=campaign, territory=region).exists()
    page.click("#split-link")
    assert page.locator("#split-by-hand fieldset").count() == region.children.count() + 1
    page.select_option("#id_method", "density")
    page.click("#split-methods button[name=proportional]")
    page.wait_for_selector(".messages")
    inputs_show_their_value(page)
    no_sideways_scroll(page)
    screenshot(page, "campaign_split_region_ar")
    region_target = Target.objects.get(campaign=campaign, territory=region, party_unit=None)
    rows = Target.objects.filter(campaign=campaign, parent=region_target)
    assert rows.count() == region.children.count() + 1
    assert rows.filter(party_unit__code="fes-north").exists()
    for name in SPLIT_FIELDS:
        assert sum(rows.values_list(name, flat=True)) == getattr(region_target, name)

    # Taounate acknowledges, splits over its communes, opens offices and plans an event
    sign_in("taounate")
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    page.click("button[name=ack]")
    page.wait_for_selector(".messages")
    page.click("#split-link")
    page.select_option("#id_method", "population")
    page.click("#split-methods button[name=proportional]")
    page.wait_for_selector(".messages")
    province_target = Target.objects.get(campaign=campaign, territory=taounate)
    communes = Target.objects.filter(campaign=campaign, parent=province_target)
    assert communes.count() == taounate.children.count()
    assert sum(communes.values_list("youth", flat=True)) == province_target.youth
    town, village = taounate.children.order_by("-population_2024", "code")[:2]
    for commune, name in ((town, "Siège de Taounate"), (village, "Siège du village")):
        page.goto(base + "/territory/offices/")
        page.click("a[href='/territory/offices/new/']")
        page.select_option("#id_territory", commune.code)
        page.fill("#id_name_ar", f"مقر {commune.name_ar}")
        page.fill("#id_name_fr", name)
        page.fill("#id_address", "شارع محمد الخامس")
        page.fill("#id_phone", "0535620000")
        page.fill("#id_hours", "10:00–19:00")
        page.fill("#id_latitude", "34.53720")
        page.fill("#id_longitude", "-4.64000")
        page.check("#id_accessible_entrance")
        no_sideways_scroll(page)
        page.click("#office-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/territory/offices/\d+/$"))
    office = Office.objects.get(name_fr="Siège de Taounate")
    assert (office.accessible_entrance, str(office.latitude)) == (True, "34.53720")
    screenshot(page, "office_detail_ar")
    page.goto(f"{base}/campaigns/{campaign.pk}/events/new/")
    page.select_option("#id_office", str(office.pk))
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_opens_at", "10:00")
    page.fill("#id_closes_at", "19:00")
    no_sideways_scroll(page)
    page.click("#event-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/events/\d+/$"))
    event = Event.objects.get(campaign=campaign, office=office)
    page.click("#copy button")
    page.wait_for_selector(".messages")
    assert Event.objects.filter(campaign=campaign, office__name_fr="Siège du village").exists()
    page.fill("#id_label", "مكبر صوت")
    page.fill("#id_item_needed", "1")
    page.select_option("#id_item_supplier", "provincial")
    page.click("#add-item button[type=submit]")
    page.wait_for_url(f"**/campaigns/events/{event.pk}/")

    # Late items are flagged to the region; delivering everything makes the event ready
    sign_in("fes_meknes")
    page.goto(f"{base}/campaigns/{campaign.pk}/?territory=03")
    assert "مكبر صوت" in page.text_content("#late")
    sign_in("taounate")
    page.goto(f"{base}/campaigns/events/{event.pk}/")
    inputs_show_their_value(page)
    no_sideways_scroll(page)
    screenshot(page, "event_readiness_ar")
    for field in page.locator("#readiness input[name^=needed-]").all():
        pk = field.get_attribute("name").removeprefix("needed-")
        needed = field.input_value()
        page.fill(f"#id_allocated-{pk}", needed)
        page.fill(f"#id_delivered-{pk}", needed)
    page.click("button[name=to_status][value=ready]")
    page.wait_for_selector(".messages")
    event.refresh_from_db()
    assert event.status == "ready"
    page.click("button[name=to_status][value=open]")
    page.wait_for_selector(".messages")
    event.refresh_from_db()
    assert event.status == "open"

    # A commune's local secretariat is founded and the coverage figure moves
    page.goto(f"{base}/meetings/coverage/?territory={TAOUNATE}")
    before = page.text_content("#coverage-total")
    page.click(f"li[data-code='{village.code}'] a.plan-founding")
    page.fill("#id_starts_at", f"{today.isoformat()}T09:00")
    page.click("#founding-plan button[name=plan]")
    page.wait_for_selector("#founders")
    for first, last in (("سعاد", "العلوي"), ("كريم", "الفاسي"), ("نادية", "بناني")):
        if not page.is_visible("#id_new_first_name_ar"):
            page.click("#new-founder summary")
        page.fill("#id_new_first_name_ar", first)
        page.fill("#id_new_last_name_ar", last)
        page.click("#new-founder button[name=create]")
        page.wait_for_selector(f"#founders li:has-text('{first}')")
    page.fill("#id_founded_on", today.isoformat())
    for index, select in enumerate(page.locator("#record select").all(), start=1):
        select.select_option(index=index)
    page.click("#record button[name=record]")
    page.wait_for_selector("#founding-status[data-status]")
    page.goto(f"{base}/meetings/coverage/?territory={TAOUNATE}")
    after = page.text_content("#coverage-total")
    assert after != before
    assert page.get_attribute(f"li[data-code='{village.code}']", "data-state") == "founded"

    # The region plans a meeting of its secretariat in every province
    sign_in("fes_meknes")
    page.goto(f"{base}/territory/bodies/new/?territory=03")
    page.select_option("#id_kind", "regional_secretariat")
    page.fill("#id_name_ar", "الأمانة الجهوية لفاس مكناس")
    page.fill("#id_name_fr", "Secrétariat régional de Fès-Meknès")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/people/bodies/*/")
    secretariat = Body.objects.get(kind="regional_secretariat", territory=region)
    page.goto(base + "/meetings/programmes/")
    page.fill("#id_name_ar", "اجتماعات الأمانة الجهوية بالأقاليم")
    page.fill("#id_name_fr", "La région dans chaque province")
    page.select_option("#id_pattern", "each_place")
    page.select_option("#id_body", str(secretariat.pk))
    page.fill("#id_starts_at", f"{(today + datetime.timedelta(days=7)).isoformat()}T18:00")
    page.select_option("#id_spacing", "weekly")
    page.click("#programme-plan button[name=plan]")
    page.wait_for_selector(".messages")
    assert Meeting.objects.filter(body=secretariat).count() >= region.children.count()

    # A door device gets a token limited to the event and signs a visitor up through the API
    sign_in("taounate")
    page.goto(base + "/accounts/tokens/")
    page.fill("#id_name", "لوحة باب مقر تاونات")
    page.select_option("#id_limit", "event")
    page.select_option("#id_event", str(event.pk))
    page.click("#issue button[name=issue]")
    secret = page.text_content("#token-secret").strip()
    signup = {
        "client_key": "door-tablet-0001",
        "checkin": {"name": "زائرة", "purpose": "membership", "territory_code": town.code},
        "person": {
            "first_name_ar": "هند",
            "last_name_ar": "التازي",
            "gender": "F",
            "birth_date": "2001-04-12",
            "phone": "0661234567",
        },
        "consent_given": True,
    }
    request = urllib.request.Request(  # noqa: S310 (the live server, plain http)
        f"{base}/api/campaigns/events/{event.pk}/signups",
        data=json.dumps(signup).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        assert answer.status == 201
        assert json.loads(answer.read())["card_number"]

    # The dashboards show the progress: the region's, then Taounate's line in it
    sign_in("fes_meknes")
    page.goto(f"{base}/campaigns/{campaign.pk}/?territory=03")
    assert page.text_content("#progress .figure").split("/")[0].strip() == "1"
    assert "مكبر صوت" not in page.text_content("#late")
    taounate_line = page.locator("#below li", has_text=taounate.name_ar)
    assert "1" in taounate_line.text_content()
    no_sideways_scroll(page)
    screenshot(page, "campaign_region_ar")

    # The same screens in French
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": base}])
    for path, name in (
        (f"/campaigns/{campaign.pk}/?territory=03", "campaign_region_fr"),
        (f"/campaigns/{campaign.pk}/split/{region.pk}/", "campaign_split_region_fr"),
        (f"/campaigns/events/{event.pk}/", "event_readiness_fr"),
        (f"/territory/offices/{office.pk}/edit/", "office_edit_fr"),
    ):
        page.goto(base + path)
        assert page.get_attribute("html", "lang") == "fr"
        no_sideways_scroll(page)
        inputs_show_their_value(page)
        if name:
            screenshot(page, name)

"""Running a campaign from the screen: create with memo and targets, launch, acknowledge, local goals,
splits (Fès North included), offices, events, readiness; and what a Taounate secretary cannot do to
Meknès (in the URL or in the body), nothing changing when refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abwab.campaigns.models import (
    Campaign,
    CampaignAcknowledgement,
    CampaignItem,
    CampaignStatus,
    Event,
    LocalGoal,
    ReadinessItem,
    Target,
)
from abwab.campaigns.selectors import late_items
from abwab.campaigns.targets import SPLIT_FIELDS, split_slots, target_set_top, targets_split
from abwab.core.models import AuditEntry
from abwab.territory.models import Office, Territory

pytestmark = pytest.mark.django_db
GROUPS = {"new_members": 1000, "women": 400, "youth": 450, "professionals": 100, "visitors": 3000}


def territory(code):
    return Territory.objects.get(code=code)


def campaign_post(**extra):
    return {
        "name_ar": "الأبواب المفتوحة — الدورة الثانية",
        "name_fr": "Portes ouvertes — 2e édition",
        "starts_on": "2027-01-01",
        "ends_on": "2027-02-28",
        "memo_ar": "مذكرة",
        "memo_fr": "Note",
        "goals_ar": "أهداف",
        "lead_days": "3",
        **{k: str(v) for k, v in GROUPS.items()},
        **extra,
    }


def test_the_national_administrator_creates_launches_and_closes_a_campaign(client, actors):
    client.force_login(actors.admin)
    memo = SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo", content_type="application/pdf")
    response = client.post(reverse("campaigns:new"), campaign_post(memo_file=memo))
    campaign = Campaign.objects.get(name_fr="Portes ouvertes — 2e édition")
    assert response.status_code == 302
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.memo_file.name.endswith(".pdf")
    top = Target.objects.get(campaign=campaign, parent=None)
    assert {name: getattr(top, name) for name in SPLIT_FIELDS} == GROUPS
    assert AuditEntry.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()
    download = client.get(reverse("campaigns:detail", args=[campaign.pk]) + "?download=memo")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 memo"

    client.post(reverse("campaigns:status", args=[campaign.pk]), {"status": "launched"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED and campaign.launched_at is not None
    client.post(reverse("campaigns:status", args=[campaign.pk]), {"status": "closed"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_a_memo_that_is_not_what_it_claims_is_refused_and_nothing_saved(client, actors):
    client.force_login(actors.admin)
    fake = SimpleUploadedFile("memo.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("campaigns:new"), campaign_post(memo_file=fake))
    assert response.status_code == 200
    assert not Campaign.objects.filter(name_fr="Portes ouvertes — 2e édition").exists()


@pytest.mark.parametrize("who", ["fes_meknes", "taounate", "media", "volunteer"])
def test_only_the_national_level_creates_or_launches(client, actors, places, who):
    campaign = places["taounate_a"].event.campaign
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DRAFT)
    client.force_login(getattr(actors, who))
    assert client.get(reverse("campaigns:new")).status_code == 404
    assert client.post(reverse("campaigns:new"), campaign_post()).status_code == 404
    response = client.post(reverse("campaigns:status", args=[campaign.pk]), {"status": "launched"})
    assert response.status_code == 404
    assert Campaign.objects.count() == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_secretariats_acknowledge_and_the_level_above_sees_who(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    client.force_login(actors.taounate)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert "03.531" in page.content.decode()  # the acknowledge button names Taounate
    client.post(reverse("campaigns:acknowledge", args=[campaign.pk]), {"place": "03.531"})
    # Meknès is not Taounate's to acknowledge for
    response = client.post(
        reverse("campaigns:acknowledge", args=[campaign.pk]), {"place": "03.061"}
    )
    assert response.status_code == 404
    assert list(CampaignAcknowledgement.objects.values_list("territory__code", "by__username")) == [
        ("03.531", "taounate")
    ]
    client.force_login(actors.fes_north)
    client.post(reverse("campaigns:acknowledge", args=[campaign.pk]), {"place": "unit:fes-north"})
    client.force_login(actors.fes_meknes)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]) + "?territory=03")
    below = {row.slot.key: row.ack for row in page.context["rows"]}
    assert below["03.531"].by == actors.taounate
    assert below["unit:fes-north"].by == actors.fes_north
    assert below["03.061"] is None


def test_a_province_adds_its_own_goal_inside_the_campaign(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    client.force_login(actors.taounate)
    data = {"place": "03.531", "text_ar": "هدف", "starts_on": "2026-11-10", "ends_on": "2026-11-20"}
    client.post(reverse("campaigns:goal", args=[campaign.pk]), data)
    outside = client.post(
        reverse("campaigns:goal", args=[campaign.pk]), {**data, "place": "03.061"}
    )
    late = client.post(
        reverse("campaigns:goal", args=[campaign.pk]), {**data, "ends_on": "2027-03-01"}
    )
    assert outside.status_code == 404 and late.status_code == 302
    goal = LocalGoal.objects.get()
    assert (goal.territory.code, goal.text_ar, goal.starts_on) == (
        "03.531",
        "هدف",
        datetime.date(2026, 11, 10),
    )


@pytest.fixture
def split_campaign(actors, places):
    campaign = places["taounate_a"].event.campaign
    Target.objects.filter(campaign=campaign).delete()
    target_set_top(actor=actors.admin, campaign=campaign, **GROUPS)
    targets_split(actor=actors.admin, campaign=campaign, territory=territory("MA"))
    return campaign


def test_the_regional_secretary_splits_by_hand_over_every_province_and_fes_north(
    client, actors, split_campaign
):
    region = Target.objects.get(campaign=split_campaign, territory__code="03")
    region_node = territory("03")
    slots = split_slots(region_node)
    data = {"method": "hand"}
    for index, slot in enumerate(slots):
        for name in SPLIT_FIELDS:
            data[f"{name}-{slot.key}"] = str(getattr(region, name) if index == 0 else 0)
    client.force_login(actors.fes_meknes)
    url = reverse("campaigns:split", args=[split_campaign.pk, region_node.pk])
    page = client.get(url)
    assert 'name="women-unit:fes-north"' in page.content.decode()
    assert client.post(url, data).status_code == 302
    rows = Target.objects.filter(campaign=split_campaign, parent=region)
    assert rows.count() == len(slots)
    assert rows.filter(party_unit__code="fes-north").exists()
    for name in SPLIT_FIELDS:
        assert sum(rows.values_list(name, flat=True)) == getattr(region, name)
    # By population: every slot gets a row, sums exact
    client.post(url, {"method": "population"})
    for name in SPLIT_FIELDS:
        assert sum(rows.values_list(name, flat=True)) == getattr(region, name)


def test_a_taounate_secretary_cannot_split_meknes_target(client, actors, split_campaign):
    targets_split(actor=actors.fes_meknes, campaign=split_campaign, territory=territory("03"))
    client.force_login(actors.taounate)
    meknes = territory("03.061")
    url = reverse("campaigns:split", args=[split_campaign.pk, meknes.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"method": "population"}).status_code == 404
    assert not Target.objects.filter(campaign=split_campaign, parent__territory=meknes).exists()
    # Meknès's communes posted to Taounate's own split are refused and nothing saved
    own = reverse("campaigns:split", args=[split_campaign.pk, territory("03.531").pk])
    commune = meknes.children.order_by("code").first().code
    response = client.post(own, {"method": "hand", f"new_members-{commune}": "5"})
    assert response.status_code == 200
    assert not Target.objects.filter(campaign=split_campaign, parent__territory__code="03.531")


def test_offices_are_opened_and_edited_inside_the_scope_only(client, actors, places):
    commune = places["taounate_b"].node
    meknes_commune = places["meknes"].node
    client.force_login(actors.taounate)
    data = {
        "territory": commune.code,
        "name_ar": "مقر",
        "name_fr": "Siège B",
        "address": "شارع",
        "phone": "0535000000",
        "hours": "10:00–19:00",
        "latitude": "34.53600",
        "longitude": "-4.64000",
        "accessible_entrance": "on",
    }
    assert client.post(reverse("territory:office_new"), data).status_code == 302
    office = Office.objects.get(name_fr="Siège B")
    assert (office.territory, office.latitude, office.accessible_entrance) == (
        commune,
        Decimal("34.53600"),
        True,
    )
    before = Office.objects.count()
    outside = client.post(
        reverse("territory:office_new"), {**data, "territory": meknes_commune.code, "name_fr": "X"}
    )
    assert outside.status_code == 404 and Office.objects.count() == before
    meknes_office = places["meknes"].office
    edit = client.post(
        reverse("territory:office_edit", args=[meknes_office.pk]), {**data, "name_fr": "Pris"}
    )
    assert edit.status_code == 404
    meknes_office.refresh_from_db()
    assert meknes_office.name_fr == "office-meknes"
    client.post(
        reverse("territory:office_edit", args=[office.pk]),
        {**data, "hours": "9:00–13:00", "latitude": "", "longitude": ""},
    )
    office.refresh_from_db()
    assert (office.hours, office.latitude) == ("9:00–13:00", None)


def test_events_planned_copied_and_made_ready_from_the_screen(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    Event.objects.filter(office__territory__path__startswith=territory("03.531").path).delete()
    CampaignItem.objects.create(campaign=campaign, kind="programme", needed=50, supplier="national")
    CampaignItem.objects.create(campaign=campaign, kind="banners", needed=2, supplier="provincial")
    client.force_login(actors.taounate)
    office = places["taounate_a"].office
    data = {
        "office": office.pk,
        "starts_on": "2026-11-20",
        "ends_on": "2026-11-22",
        "opens_at": "10:00",
        "closes_at": "19:00",
        "supervisor": places["taounate_a"].person.pk,
    }
    # Meknès's office or a Meknès person in the body: 404, nothing planned
    for field, value in (
        ("office", places["meknes"].office.pk),
        ("supervisor", places["meknes"].person.pk),
    ):
        before = Event.objects.count()
        response = client.post(
            reverse("campaigns:event_new", args=[campaign.pk]), {**data, field: value}
        )
        assert response.status_code == 404 and Event.objects.count() == before
    response = client.post(reverse("campaigns:event_new", args=[campaign.pk]), data)
    event = Event.objects.get(campaign=campaign, office=office)
    assert response.status_code == 302
    assert event.supervisor == places["taounate_a"].person
    assert list(event.items.values_list("kind", "needed", "supplier")) == [
        ("banners", 2, "provincial"),
        ("programme", 50, "national"),
    ]
    # A local addition, then the copy to every office of the province (Taounate B has none yet)
    client.post(
        reverse("campaigns:event", args=[event.pk]),
        {"action": "add_item", "label": "Sound system", "needed": "1", "supplier": "local"},
    )
    meknes_events = Event.objects.filter(office__territory__code__startswith="03.061").count()
    refused = client.post(reverse("campaigns:event_copy", args=[event.pk]), {"province": "03.061"})
    assert refused.status_code == 404
    assert (
        Event.objects.filter(office__territory__code__startswith="03.061").count() == meknes_events
    )
    client.post(reverse("campaigns:event_copy", args=[event.pk]), {"province": "03.531"})
    copy = Event.objects.get(campaign=campaign, office=places["taounate_b"].office)
    assert list(copy.items.values_list("label", "needed")) == [
        ("", 2),
        ("Sound system", 1),
        ("", 50),
    ]
    # Late items are flagged to the level above; delivering everything makes the event ready
    late = late_items(
        actor=actors.fes_meknes,
        campaign=campaign,
        territory=territory("03"),
        today=datetime.date(2026, 11, 18),
    )
    assert {(item.event_id, item.name) for item in late} >= {(event.pk, "Sound system")}
    assert (
        late_items(
            actor=actors.fes_meknes,
            campaign=campaign,
            territory=territory("03"),
            today=datetime.date(2026, 11, 1),
        )
        == []
    )
    posted = {"to_status": "ready"}
    for item in event.items.all():
        posted |= {
            f"allocated-{item.pk}": str(item.needed),
            f"delivered-{item.pk}": str(item.needed),
        }
    client.post(reverse("campaigns:event", args=[event.pk]), posted)
    event.refresh_from_db()
    assert event.status == "ready"
    assert not ReadinessItem.objects.filter(event=event, delivered__lt=models_F_needed()).exists()


def models_F_needed():
    from django.db.models import F

    return F("needed")


def test_numbers_are_typed_in_full_and_every_input_is_labelled(client, actors, places):
    event = places["taounate_b"].event
    ReadinessItem.objects.create(event=event, kind="programme", needed=100)
    client.force_login(actors.taounate)
    html = client.get(reverse("campaigns:event", args=[event.pk])).content.decode()
    assert 'type="number"' not in html
    assert 'id="id_needed-' in html and 'class="qty"' in html
    import re

    ids = set(re.findall(r'<input[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    visible = {i for i in ids if not re.search(rf'id="{re.escape(i)}"[^>]*type="hidden"', html)}
    assert visible <= labelled
    assert re.search(r'<input[^>]*name="needed-\d+"[^>]*value="100"', html)


def test_the_memo_readiness_list_is_kept_by_the_national_level(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    url = reverse("campaigns:items", args=[campaign.pk])
    client.force_login(actors.fes_meknes)
    assert client.get(url).status_code == 404
    refused = client.post(url, {"action": "add", "kind": "banners", "needed": "4"})
    assert refused.status_code == 404 and not CampaignItem.objects.exists()
    client.force_login(actors.admin)
    client.post(url, {"action": "add", "kind": "banners", "needed": "4", "supplier": "regional"})
    client.post(url, {"action": "add", "kind": "other", "label": "", "needed": "1"})  # unnamed
    item = CampaignItem.objects.get()
    assert (item.kind, item.needed, item.supplier) == ("banners", 4, "regional")
    client.post(url, {f"needed-{item.pk}": "6", f"supplier-{item.pk}": "national"})
    item.refresh_from_db()
    assert (item.needed, item.supplier) == (6, "national")


def test_fes_north_sees_and_splits_its_own_target(client, actors, split_campaign, fes_north):
    targets_split(actor=actors.fes_meknes, campaign=split_campaign, territory=territory("03"))
    north = Target.objects.get(campaign=split_campaign, party_unit=fes_north)
    client.force_login(actors.fes_north)
    page = client.get(reverse("campaigns:detail", args=[split_campaign.pk]))
    assert page.status_code == 200
    assert (page.context["place"], page.context["target"]) == (fes_north, north)
    assert [row.slot.territory.code for row in page.context["rows"]] == sorted(
        fes_north.territories.values_list("code", flat=True)
    )
    url = reverse("campaigns:split", args=[split_campaign.pk, fes_north.anchor.pk])
    assert client.post(url + "?unit=fes-north", {"method": "population"}).status_code == 302
    for name in SPLIT_FIELDS:
        assert sum(north.children.values_list(name, flat=True)) == getattr(north, name)
    # The anchor commune's own row (Fès) is not Fès North's to split, nor is the unit Taounate's
    assert client.get(url).status_code == 404
    client.force_login(actors.taounate)
    assert client.get(url + "?unit=fes-north").status_code == 404
    assert (
        client.get(
            reverse("campaigns:detail", args=[split_campaign.pk]) + "?unit=fes-north"
        ).status_code
        == 404
    )

"""The campaign from the API: create with targets for every group, launch, acknowledge, split (Fès
North included), offices, events, copies, readiness; Meknès's ids from Taounate answer 404 and
change nothing."""

import json

import pytest

from abwab.campaigns.models import Campaign, CampaignAcknowledgement, Event, ReadinessItem, Target
from abwab.campaigns.targets import SPLIT_FIELDS
from abwab.territory.models import Office, Territory

pytestmark = pytest.mark.django_db
GROUPS = {"new_members": 900, "women": 301, "youth": 402, "professionals": 77, "visitors": 2500}


def send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_a_campaign_through_the_api(client, actors, places, fes_north):
    client.force_login(actors.admin)
    created = send(
        client,
        "post",
        "/api/campaigns/",
        {
            "name_ar": "ح",
            "name_fr": "Campagne API",
            "starts_on": "2027-01-01",
            "ends_on": "2027-02-28",
            "memo_ar": "م",
            "targets": GROUPS,
        },
    )
    assert created.status_code == 201
    campaign_id = created.json()["id"]
    base = f"/api/campaigns/{campaign_id}"
    split = send(client, "post", f"{base}/splits", {"place": "MA"})
    assert sum(row["women"] for row in split.json()) == GROUPS["women"]
    assert send(client, "post", f"{base}/status", {"status": "launched"}).json()["status"] == (
        "launched"
    )

    client.force_login(actors.fes_meknes)
    rows = send(client, "post", f"{base}/splits", {"place": "03", "method": "density"}).json()
    assert rows[-1]["place"] == "unit:fes-north"
    region = Target.objects.get(campaign_id=campaign_id, territory__code="03")
    for name in SPLIT_FIELDS:
        assert sum(row[name] for row in rows) == getattr(region, name)
    provinces = [c.code for c in Territory.objects.get(code="03").children.order_by("code")]
    assert [row["place"] for row in rows] == [*provinces, "unit:fes-north"]
    ack = send(client, "post", f"{base}/acknowledgements", {"place": "03"})
    assert ack.status_code == 201

    client.force_login(actors.fes_north)
    north = send(client, "post", f"{base}/splits", {"place": "unit:fes-north"})
    assert north.status_code == 200 and len(north.json()) == 2

    client.force_login(actors.taounate)
    # Meknès's target, Meknès's office, Meknès's person, Meknès's province: 404, nothing changes
    before = (
        Target.objects.count(),
        Event.objects.count(),
        CampaignAcknowledgement.objects.count(),
    )
    assert send(client, "post", f"{base}/splits", {"place": "03.061"}).status_code == 404
    assert send(client, "post", f"{base}/acknowledgements", {"place": "03.061"}).status_code == 404
    event_body = {
        "office_id": places["meknes"].office.pk,
        "starts_on": "2027-01-10",
        "ends_on": "2027-01-11",
        "opens_at": "10:00",
        "closes_at": "18:00",
    }
    assert send(client, "post", f"{base}/events", event_body).status_code == 404
    own = {**event_body, "office_id": places["taounate_a"].office.pk}
    outsider = {**own, "supervisor_id": places["meknes"].person.pk}
    assert send(client, "post", f"{base}/events", outsider).status_code == 404
    assert (
        Target.objects.count(),
        Event.objects.count(),
        CampaignAcknowledgement.objects.count(),
    ) == before
    office = send(
        client,
        "post",
        "/api/territory/offices",
        {
            "territory_code": places["meknes"].node.code,
            "name_ar": "م",
            "name_fr": "M",
            "address": "a",
        },
    )
    assert office.status_code == 404 and not Office.objects.filter(name_fr="M").exists()
    patch = send(
        client, "patch", f"/api/territory/offices/{places['meknes'].office.pk}", {"name_fr": "M"}
    )
    assert patch.status_code == 404 and not Office.objects.filter(name_fr="M").exists()

    # Taounate's own event, its copy to the province, a local item, deliveries
    planned = send(client, "post", f"{base}/events", own)
    assert planned.status_code == 201
    event_id = planned.json()["id"]
    copies = send(
        client, "post", f"/api/campaigns/events/{event_id}/copies", {"province_code": "03.531"}
    )
    assert [row["office_id"] for row in copies.json()] == [places["taounate_b"].office.pk]
    refused = send(
        client, "post", f"/api/campaigns/events/{event_id}/copies", {"province_code": "03.061"}
    )
    assert refused.status_code == 404
    item = send(
        client, "post", f"/api/campaigns/events/{event_id}/items", {"label": "Sono", "needed": 1}
    )
    assert item.status_code == 201
    for row in client.get(f"/api/campaigns/events/{event_id}/items").json():
        done = send(
            client,
            "patch",
            f"/api/campaigns/events/{event_id}/items",
            {
                "item_id": row["id"],
                "allocated": row["needed"],
                "delivered": row["needed"],
                "supplier": "provincial",
            },
        )
        assert done.status_code == 200
    assert not ReadinessItem.objects.filter(event_id=event_id, supplier="").exists()
    meknes_item = ReadinessItem.objects.create(
        event=places["meknes"].event, kind="screen", needed=1
    )
    stolen = send(
        client,
        "patch",
        f"/api/campaigns/events/{event_id}/items",
        {"item_id": meknes_item.pk, "needed": 9},
    )
    theirs = send(
        client,
        "patch",
        f"/api/campaigns/events/{places['meknes'].event.pk}/items",
        {"item_id": meknes_item.pk, "needed": 9},
    )
    assert theirs.status_code == 404
    meknes_item.refresh_from_db()
    assert stolen.status_code == 404 and meknes_item.needed == 1
    assert Campaign.objects.get(pk=campaign_id).status == "launched"

"""Door entries as devices send them: one-request sign-ups and the offline queue's batches."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.utils import timezone

from abwab.accounts.tokens import token_create
from abwab.campaigns import sealing
from abwab.campaigns.models import CheckIn, Purpose
from abwab.people.models import DuplicateCluster, Membership, Person
from abwab.people.services import consent_withdraw, person_create

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name_ar": "نادية",
    "last_name_ar": "البقالي",
    "first_name_latin": "Nadia",
    "last_name_latin": "Bakkali",
    "birth_date": "1990-04-12",
    "cin": "CD123456",
    "phone": "0612345678",
    "gender": "F",
}


@pytest.fixture
def desk(client, actors, places):
    _token, value = token_create(user=actors.volunteer, name="desk")
    event = places["taounate_a"].event

    def post(path, body):
        return client.post(
            f"/api/campaigns/events/{event.pk}/{path}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {value}",
        )

    post.event = event
    return post


def recorded(territory, **fields):
    """PERSON as already in the database (dates as dates)."""
    fields = {**PERSON, **fields}
    if fields.get("birth_date"):
        fields["birth_date"] = datetime.date.fromisoformat(fields["birth_date"])
    return person_create(actor=None, territory=territory, **fields)


def counts():
    return (
        CheckIn.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        DuplicateCluster.objects.count(),
    )


def signup(key="device-0001", **overrides):
    return {
        "client_key": key,
        "checkin": {"age_band": "35-44"},
        "person": dict(PERSON),
        "consent_given": True,
        **overrides,
    }


def test_a_signup_is_stored_once_however_often_it_is_sent(desk, places):
    before = counts()
    first = desk("signups", signup())
    again = desk("signups", signup())
    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    body = first.json()
    assert again.json() == {**body, "created": False}
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3])
    checkin = CheckIn.objects.get(client_key="device-0001")
    assert (checkin.purpose, checkin.name, checkin.person_id) == (
        Purpose.MEMBERSHIP,
        "نادية البقالي",
        body["person_id"],
    )
    membership = Membership.objects.get(person_id=body["person_id"])
    assert body["card_number"] == membership.card_number
    assert membership.person.consents.count() == 1
    assert body["review_id"] is None


def test_without_consent_nothing_is_stored(desk):
    before = counts()
    answer = desk("signups", signup(consent_given=False))
    assert answer.status_code == 422
    assert answer.json()["code"] == "consent_required"
    assert counts() == before


def test_a_likely_duplicate_asks_first_then_the_volunteer_picks(desk, places, actors):
    # Registered at this desk's office: a record the volunteer may see.
    known = recorded(places["taounate_a"].node, birth_date=None, office=places["taounate_a"].office)
    before = counts()
    asked = desk("signups", signup())
    assert asked.status_code == 409
    found = asked.json()
    assert found["code"] == "possible_duplicates"
    assert [c["person_id"] for c in found["candidates"]] == [known.pk]
    assert counts() == before  # nothing stored until the volunteer answers
    picked = desk("signups", signup(existing_person_id=known.pk))
    assert picked.status_code == 201
    assert picked.json()["person_id"] == known.pk
    assert Person.objects.count() == before[1]


def test_a_candidate_outside_the_desks_scope_is_never_shown_and_sends_to_review(desk, places):
    elsewhere = recorded(places["meknes"].node)
    answer = desk("signups", signup())
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["person_id"] != elsewhere.pk
    assert DuplicateCluster.objects.get(pk=body["review_id"]).territory.code == "03"
    assert "Bakkali" not in answer.content.decode()
    assert Person.objects.get(pk=body["person_id"]).cin is None  # the CIN stays with its record


def test_a_candidate_in_scope_is_asked_and_one_outside_only_announced(desk, places):
    mine = recorded(places["taounate_a"].node, cin="", phone="", office=places["taounate_a"].office)
    recorded(places["meknes"].node, cin="", phone="", first_name_ar="", last_name_ar="")
    asked = desk("signups", signup())
    body = asked.json()
    assert asked.status_code == 409
    assert [c["person_id"] for c in body["candidates"]] == [mine.pk]
    assert body["elsewhere"] is True


def test_review_mode_stores_and_leaves_a_review_item_at_the_common_level(desk, places, actors):
    namesake = recorded(places["meknes"].node, cin="", phone="")
    answer = desk("signups", signup(on_duplicate="review"))
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["person_id"] != namesake.pk
    cluster = DuplicateCluster.objects.get(pk=body["review_id"])
    assert set(cluster.people.values_list("pk", flat=True)) == {body["person_id"], namesake.pk}
    assert cluster.territory.code == "03"  # Taounate and Meknès meet at the region
    assert cluster.job_id is None
    again = desk("signups", signup(on_duplicate="review"))
    assert again.json()["review_id"] == cluster.pk
    assert DuplicateCluster.objects.filter(job=None, people=namesake).count() == 1


def test_review_mode_joins_the_record_with_the_same_national_id_and_name(desk, places):
    known = recorded(
        places["taounate_a"].node, first_name_ar="", phone="", office=places["taounate_a"].office
    )
    before = counts()
    answer = desk("signups", signup(on_duplicate="review"))
    assert answer.status_code == 201, answer.json()
    assert answer.json()["person_id"] == known.pk
    assert answer.json()["review_id"] is None
    assert counts() == (before[0] + 1, before[1], before[2] + 1, before[3])


def test_review_mode_refuses_a_national_id_under_another_name(desk, places):
    recorded(
        places["taounate_a"].node,
        office=places["taounate_a"].office,
        first_name_ar="عمر",
        last_name_ar="الزياني",
        first_name_latin="Omar",
        last_name_latin="Zyani",
        phone="",
    )
    before = counts()
    answer = desk("signups", signup(on_duplicate="review"))
    assert answer.status_code == 422
    assert "cin" in answer.json()["fields"]
    assert counts() == before


def test_the_offline_queue_syncs_each_entry_once_and_says_why_one_is_refused(desk, places):
    other_commune = places["taounate_b"].node.code
    recorded = timezone.now() - datetime.timedelta(minutes=40)
    entries = [
        {
            "kind": "checkin",
            "client_key": "offline-0001",
            "checkin": {"name": "زائر أول", "purpose": "information", "gender": "m"},
            "recorded_at": recorded.isoformat(),
        },
        {**signup("offline-0002"), "kind": "signup"},
        {**signup("offline-0003", consent_given=False), "kind": "signup"},
        {
            "kind": "checkin",
            "client_key": "offline-0004",
            "checkin": {"name": "زائرة", "purpose": "concern", "territory_code": other_commune},
        },
        {
            "kind": "checkin",
            "client_key": "offline-0005",
            "checkin": {"name": "x", "purpose": "information", "territory_code": "04.411"},
        },
    ]
    before = counts()
    first = desk("sync", {"entries": entries})
    assert first.status_code == 200
    statuses = [(r["client_key"], r["status"], r["code"]) for r in first.json()["results"]]
    assert statuses == [
        ("offline-0001", "stored", ""),
        ("offline-0002", "stored", ""),
        ("offline-0003", "rejected", "consent_required"),
        ("offline-0004", "stored", ""),
        ("offline-0005", "rejected", "unknown_territory"),
    ]
    assert counts() == (before[0] + 3, before[1] + 1, before[2] + 1, before[3])
    assert CheckIn.objects.get(client_key="offline-0001").at == recorded
    assert CheckIn.objects.get(client_key="offline-0001").gender == "M"
    assert CheckIn.objects.get(client_key="offline-0004").territory.code == other_commune
    card = first.json()["results"][1]["card_number"]
    assert Membership.objects.get(card_number=card).person.cin == PERSON["cin"]

    again = desk("sync", {"entries": entries})
    assert [r["status"] for r in again.json()["results"]] == [
        "already",
        "already",
        "rejected",
        "already",
        "rejected",
    ]
    assert again.json()["results"][1]["card_number"] == card
    assert counts() == (before[0] + 3, before[1] + 1, before[2] + 1, before[3])


def test_a_device_clock_in_the_future_or_before_the_event_is_not_believed(desk):
    now = timezone.now()
    entries = [
        {
            "kind": "checkin",
            "client_key": f"clock-000{i}",
            "checkin": {"name": "زائر", "purpose": "information"},
            "recorded_at": at.isoformat(),
        }
        for i, at in enumerate([now + datetime.timedelta(days=2), now.replace(year=2020)])
    ]
    desk("sync", {"entries": entries})
    for checkin in CheckIn.objects.filter(client_key__startswith="clock-"):
        assert now <= checkin.at <= timezone.now()


def test_a_sync_too_big_is_refused_whole(desk):
    entries = [
        {"kind": "checkin", "client_key": f"big-{i:05d}", "checkin": {"name": "x"}}
        for i in range(101)
    ]
    before = counts()
    assert desk("sync", {"entries": entries}).status_code == 422
    assert counts() == before


def test_someone_without_the_desk_cannot_sync(client, actors, places):
    _token, value = token_create(user=actors.media, name="media")
    event = places["taounate_a"].event
    before = counts()
    answer = client.post(
        f"/api/campaigns/events/{event.pk}/sync",
        json.dumps({"entries": [{**signup("media-0001"), "kind": "signup"}]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {value}",
    )
    assert answer.json()["results"][0]["code"] == "forbidden"
    assert counts() == before


def sealed_entry(event, key, **fields):
    return sealing.seal({"kind": "checkin", "client_key": key, "event": event.pk, **fields})


def test_sealed_entries_are_opened_stored_once_and_tampering_is_refused(desk, settings):
    event = desk.event
    good = sealed_entry(event, "sealed-0001", checkin={"name": "زائر", "purpose": "information"})
    tampered = sealed_entry(event, "sealed-0002", checkin={"name": "زائر"})
    tampered["ct"] = tampered["ct"][:-4] + ("AAAA" if tampered["ct"][-4:] != "AAAA" else "BBBB")
    elsewhere = sealed_entry(
        SimpleNamespace(pk=event.pk + 1000), "sealed-0003", checkin={"name": "زائر"}
    )
    swapped = {
        **sealed_entry(event, "sealed-0004", checkin={"name": "x"}),
        "client_key": "sealed-0005",
    }
    before = counts()
    first = desk("sync", {"sealed": [good, tampered, elsewhere, swapped]})
    assert [(r["client_key"], r["status"], r["code"]) for r in first.json()["results"]] == [
        ("sealed-0001", "stored", ""),
        ("sealed-0002", "rejected", "unreadable"),
        ("sealed-0003", "rejected", "unreadable"),
        ("sealed-0005", "rejected", "unreadable"),
    ]
    assert counts()[0] == before[0] + 1
    assert CheckIn.objects.get(client_key="sealed-0001").name == "زائر"
    again = desk("sync", {"sealed": [good]})
    assert again.json()["results"][0]["status"] == "already"
    # After a key rotation, entries sealed to the old key still open.
    old = sealed_entry(event, "sealed-0006", checkin={"name": "زائرة"})
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key, rotated while the desk was offline"
    assert desk("sync", {"sealed": [old]}).json()["results"][0]["status"] == "stored"
    assert counts()[0] == before[0] + 2


def test_the_offline_desk_page_manifest_and_worker(client, actors, places):
    event = places["taounate_a"].event
    client.force_login(actors.volunteer)
    page = client.get(f"/campaigns/events/{event.pk}/door/offline/")
    assert page.status_code == 200
    config = page.context["desk"]
    assert config["key"] == sealing.public_key()
    assert config["sync"] == f"/api/campaigns/events/{event.pk}/sync"
    assert config["codes"][str(places["taounate_b"].node.pk)] == places["taounate_b"].node.code
    manifest = client.get(f"/campaigns/events/{event.pk}/door/manifest.webmanifest").json()
    assert manifest["start_url"] == f"/campaigns/events/{event.pk}/door/offline/"
    assert (manifest["dir"], manifest["display"]) == ("rtl", "standalone")
    worker = client.get("/campaigns/door-sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/campaigns/"
    assert "/static/campaigns/door-offline.js" in worker.content.decode()
    client.force_login(actors.media)  # sees the event, has no desk
    assert client.get(f"/campaigns/events/{event.pk}/door/offline/").status_code == 404


def test_a_late_retry_after_the_member_withdrew_still_answers_and_stores_nothing(desk, actors):
    first = desk("signups", signup("late-0001")).json()
    membership = Membership.objects.get(card_number=first["card_number"])
    consent_withdraw(actor=actors.taounate, consent=membership.consent)
    before = counts()
    again = desk("signups", signup("late-0001"))
    assert again.status_code == 200
    assert again.json() == {**first, "created": False}
    assert counts() == before

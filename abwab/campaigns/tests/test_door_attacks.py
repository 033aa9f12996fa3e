"""The door attacked from Taounate with Meknès's keys, ids, CINs and phones (issue 12, findings 2-4).

Each test sends what a Taounate account could guess or have seen of Meknès, and checks the answer
holds nothing of Meknès and that Meknès's rows are exactly as before.
"""

import pytest
from django.urls import reverse

from abwab.campaigns import sealing
from abwab.campaigns.models import CheckIn
from abwab.campaigns.tests.attacker import (
    MEKNES_CIN,
    MEKNES_PHONE,
    api_as,
    leaked,
    meknes_digest,
    meknes_with_identifiers,
)
from abwab.people.models import DuplicateCluster, Membership, Person
from abwab.territory.models import Territory
from conftest import MEKNES, in_arabic

pytestmark = pytest.mark.django_db


def seal(event, key):
    visit = {"name": "زائر", "purpose": "information"}
    return sealing.seal({"kind": "checkin", "client_key": key, "event": event.pk, "checkin": visit})


def signup(key, existing_person_id=None, **person):
    """A sign-up typing Meknès's member as the attacker would (her name, CIN and phone)."""
    return {
        "client_key": key,
        "existing_person_id": existing_person_id,
        "person": {
            "first_name_ar": "سعاد",
            "last_name_latin": "person-meknes",
            "cin": MEKNES_CIN,
            "phone": MEKNES_PHONE,
            **person,
        },
        "consent_given": True,
    }


@pytest.fixture
def meknes(places):
    place = places["meknes"]
    meknes_with_identifiers(place)
    return place


@pytest.mark.parametrize("actor_name", ["taounate", "volunteer"])
def test_a_signup_with_another_territorys_cin_is_stored_new_and_goes_to_review(
    client, actors, places, meknes, actor_name
):
    post = api_as(client, getattr(actors, actor_name))
    url = f"/api/campaigns/events/{places['taounate_a'].event.pk}/signups"
    before = meknes_digest(meknes)
    answer = post(url, signup("attack-0001"))
    body = answer.json()
    assert answer.status_code == 201, body
    assert body["person_id"] != meknes.person.pk
    assert leaked(answer.content.decode(), meknes) == []
    assert body["message"] == in_arabic(
        "A record may already exist outside your area: this sign-up goes to review."
    )
    new = Person.objects.get(pk=body["person_id"])
    assert (new.territory_id, new.cin, new.phone) == (
        places["taounate_a"].node.pk,
        None,  # the CIN stays with the record it belongs to until a reviewer decides
        "+212661234567",
    )
    cluster = DuplicateCluster.objects.get(pk=body["review_id"])
    assert cluster.territory.code == "03"  # Fès-Meknès: the lowest secretariat seeing both
    assert set(cluster.people.values_list("pk", flat=True)) == {new.pk, meknes.person.pk}
    assert meknes_digest(meknes) == before
    again = post(url, signup("attack-0001"))
    assert (again.status_code, again.json()["review_id"]) == (200, cluster.pk)


@pytest.mark.parametrize("actor_name", ["taounate", "volunteer"])
def test_existing_person_id_out_of_scope_is_refused_and_reveals_nothing(
    client, actors, places, meknes, actor_name
):
    post = api_as(client, getattr(actors, actor_name))
    url = f"/api/campaigns/events/{places['taounate_a'].event.pk}/signups"
    before = meknes_digest(meknes), CheckIn.objects.count(), Membership.objects.count()
    # Meknès's member (her card number was in the old 422) and a non-member of Meknès.
    for target in (meknes.person, Person.objects.get(last_name_latin="twin-meknes")):
        answer = post(url, signup(f"attack-{target.pk:04d}", existing_person_id=target.pk))
        assert (answer.status_code, answer.json()["code"]) == (422, "not_offered")
        assert leaked(answer.content.decode(), meknes) == []
    assert (meknes_digest(meknes), CheckIn.objects.count(), Membership.objects.count()) == before
    assert not meknes.person.consents.exclude(pk=meknes.membership.consent.pk).exists()


def test_the_offline_queue_never_joins_a_record_out_of_scope(client, actors, places, meknes):
    post = api_as(client, actors.volunteer)
    url = f"/api/campaigns/events/{places['taounate_a'].event.pk}/sync"
    before = meknes_digest(meknes)
    entry = {"kind": "signup", **signup("attack-sync-01")}
    answer = post(url, {"entries": [entry]})
    [result] = answer.json()["results"]
    assert (answer.status_code, result["status"], result["code"]) == (200, "stored", "")
    assert leaked(answer.content.decode(), meknes) == []
    assert result["card_number"] != meknes.membership.card_number
    person = CheckIn.objects.get(by=actors.volunteer, client_key="attack-sync-01").person
    assert person.pk != meknes.person.pk
    assert DuplicateCluster.objects.get(pk=result["review_id"]).territory.code == "03"
    assert meknes_digest(meknes) == before


def test_the_web_desk_neither_shows_nor_attaches_a_record_out_of_scope(
    client, actors, places, meknes
):
    client.force_login(actors.volunteer)
    event = places["taounate_a"].event
    url = reverse("campaigns:door", args=[event.pk])
    before = meknes_digest(meknes)

    def post(key, **extra):
        return client.post(
            url,
            {
                "client_key": key,
                "name": "سعاد",
                "territory": places["taounate_a"].node.pk,
                "purpose": "membership",
                "signup-first_name_ar": "سعاد",
                "signup-last_name_latin": "person-meknes",
                "signup-cin": MEKNES_CIN,
                "signup-consent": "on",
                **extra,
            },
            follow=True,
        )

    typed = f"person-meknes {MEKNES_CIN}"
    picked = post("web-attack-01", **{"signup-existing": meknes.person.pk})
    assert picked.status_code == 200
    assert leaked(picked.content.decode(), meknes, typed) == []
    assert picked.context["form"].non_field_errors()  # not offered
    assert not CheckIn.objects.get(client_key="web-attack-01").person_id
    assert meknes_digest(meknes) == before
    answer = post("web-attack-02")
    content = answer.content.decode()
    assert answer.status_code == 200
    assert leaked(content, meknes, typed) == []
    assert f'value="{meknes.person.pk}"' not in content
    person = CheckIn.objects.get(client_key="web-attack-02").person
    assert person.pk != meknes.person.pk
    assert DuplicateCluster.objects.filter(job=None, people=person, territory__code="03").exists()
    assert meknes_digest(meknes) == before


def test_a_desk_key_from_another_account_is_a_new_entry(client, actors, places, meknes):
    """A key Meknès's desk used (at Meknès's event) is, from Taounate, just a new key."""
    meknes_post = api_as(client, actors.meknes)
    mine = meknes_post(
        f"/api/campaigns/events/{meknes.event.pk}/signups",
        signup("shared-key-01", cin="MK654321", phone="", last_name_latin="other-meknes"),
    )
    assert mine.status_code == 201, mine.json()
    sealed = meknes_post(
        f"/api/campaigns/events/{meknes.event.pk}/sync",
        {"sealed": [seal(meknes.event, "shared-key-02")]},
    )
    assert sealed.json()["results"][0]["status"] == "stored"
    before = meknes_digest(meknes)
    post = api_as(client, actors.volunteer)
    event = places["taounate_a"].event
    for path, body in (
        ("checkins", {"client_key": "shared-key-01", "name": "زائر", "purpose": "information"}),
        ("signups", signup("shared-key-01", cin="", phone="", last_name_latin="Alami")),
        ("sync", {"entries": [{"kind": "checkin", "client_key": "shared-key-01"}]}),
        ("sync", {"sealed": [seal(event, "shared-key-02")]}),
    ):
        answer = post(f"/api/campaigns/events/{event.pk}/{path}", body)
        assert answer.status_code in (200, 201), answer.json()
        assert "rejected" not in {r["status"] for r in answer.json().get("results", [])}
        assert leaked(answer.content.decode(), meknes) == []
        assert mine.json()["checkin_id"] not in (
            answer.json().get("id"),
            answer.json().get("checkin_id"),
        )
    mine_now = CheckIn.objects.filter(by=actors.volunteer, client_key__startswith="shared-key-")
    assert sorted(mine_now.values_list("client_key", flat=True)) == [
        "shared-key-01",
        "shared-key-02",
    ]
    assert meknes_digest(meknes) == before


def test_a_header_replay_of_a_record_no_longer_in_scope_is_refused(client, actors, places):
    post = api_as(client, actors.taounate)
    body = {"territory_code": places["taounate_a"].node.code, "last_name_latin": "moved-away"}
    first = post("/api/people/", body, HTTP_IDEMPOTENCY_KEY="people-0001")
    assert first.status_code == 201, first.json()
    # Taounate's secretary is moved to Meknès: the person is no longer theirs to see.
    assignment = actors.taounate.role_assignments.get()
    assignment.territory = Territory.objects.get(code=MEKNES)
    assignment.save()
    before = Person.objects.count()
    body["territory_code"] = places["meknes"].node.code
    again = post("/api/people/", body, HTTP_IDEMPOTENCY_KEY="people-0001")
    assert (again.status_code, again.json()["code"]) == (422, "idempotency_key_reused")
    assert "moved-away" not in again.content.decode()
    assert Person.objects.count() == before

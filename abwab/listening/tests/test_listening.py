import datetime

import pytest
from django.core.exceptions import ValidationError

from abwab.listening.models import Category, Concern, Dossier, DossierStatus
from abwab.listening.selectors import concerns_by_category, dossier_ranking
from abwab.listening.services import (
    concern_record,
    dossier_handover,
    dossier_set_status,
    mandates_for,
)
from abwab.people.models import Institution, Mandate, MandateRole
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def category(code):
    return Category.objects.get(code=code)


def record(actor, place, code, n=1, **extra):
    for i in range(n):
        concern_record(
            actor=actor,
            client_key=f"{place.key}-{code}-{i}-{extra.get('tag', '')}",
            territory=place.node,
            category=category(code),
            description=f"مشكل {i}",
            event=place.event,
            **{k: v for k, v in extra.items() if k != "tag"},
        )


def test_concerns_roll_up_into_dossiers_ranked_by_count(actors, places):
    record(actors.volunteer, places["taounate_a"], "water", 3)
    record(actors.volunteer, places["taounate_a"], "roads", 1)
    record(actors.taounate, places["taounate_b"], "health", 2)
    ranking = list(
        dossier_ranking(actor=actors.taounate, territory=Territory.objects.get(code="03.531"))
    )
    # Each place already holds one water concern: taounate_a's dossier gathers 1 + 3.
    assert [(d.category.code, d.territory.code, d.raised) for d in ranking] == [
        ("water", places["taounate_a"].node.code, 4),
        ("health", places["taounate_b"].node.code, 2),
        ("roads", places["taounate_a"].node.code, 1),
        ("water", places["taounate_b"].node.code, 1),
    ]
    assert (
        list(dossier_ranking(actor=actors.meknes, territory=Territory.objects.get(code="03.531")))
        == []
    )
    counts = {
        row["category__code"]: n
        for row, n in concerns_by_category(
            actor=actors.media, territory=Territory.objects.get(code="03")
        )
    }
    assert counts == {"water": 3 + 5, "health": 2, "roads": 1}  # + the five places of Fès-Meknès


def test_same_concern_sent_twice_is_saved_once(actors, places):
    before = Concern.objects.count()
    record(actors.volunteer, places["taounate_a"], "water")
    record(actors.volunteer, places["taounate_a"], "water")
    assert Concern.objects.count() == before + 1


def test_an_answer_needs_a_phone_and_consent(actors, places):
    with pytest.raises(ValidationError, match="agree to be contacted"):
        record(
            actors.volunteer,
            places["taounate_a"],
            "water",
            wants_answer=True,
            contact_phone="0661234567",
        )
    record(
        actors.volunteer,
        places["taounate_a"],
        "water",
        wants_answer=True,
        contact_phone="0661234567",
        contact_consent=True,
        contact_name="سعيد",
        tag="ok",
    )
    concern = Concern.objects.get(client_key__endswith="-ok")
    assert (concern.contact_phone, concern.contact_consent_at is not None) == (
        "+212661234567",
        True,
    )


def test_volunteer_records_only_at_their_own_open_door(actors, places):
    before = Concern.objects.count()
    with pytest.raises(ValidationError, match="cannot record concerns here"):
        record(actors.volunteer, places["taounate_b"], "water")
    with pytest.raises(ValidationError, match="cannot record concerns here"):
        record(actors.media, places["taounate_a"], "water")
    assert Concern.objects.count() == before


def test_dossier_goes_to_the_elected_members_of_its_territory(actors, places):
    record(actors.volunteer, places["taounate_a"], "water", 2)
    dossier = Dossier.objects.get(territory=places["taounate_a"].node, category__code="water")
    start = datetime.date(2021, 9, 20)
    mp = Mandate.objects.create(
        person=PersonFactory(),
        institution=Institution.PARLIAMENT,
        role=MandateRole.MEMBER,
        territory=Territory.objects.get(code="03.531"),
        starts_on=start,
    )
    mayor = Mandate.objects.create(
        person=PersonFactory(),
        institution=Institution.COMMUNAL_COUNCIL,
        role=MandateRole.PRESIDENT,
        territory=places["taounate_a"].node,
        starts_on=start,
    )
    elsewhere = Mandate.objects.create(
        person=PersonFactory(),
        institution=Institution.PARLIAMENT,
        role=MandateRole.MEMBER,
        territory=Territory.objects.get(code="03.061"),
        starts_on=start,
    )
    assert set(mandates_for(dossier)) == {mp, mayor}
    with pytest.raises(ValidationError, match="represent this commune"):
        dossier_handover(actor=actors.taounate, dossier=dossier, mandates=[elsewhere])
    with pytest.raises(ValidationError, match="Hand the dossier"):
        dossier_set_status(actor=actors.taounate, dossier=dossier, status=DossierStatus.COUNCIL)
    dossier_handover(actor=actors.taounate, dossier=dossier, mandates=[mayor])
    dossier_set_status(
        actor=actors.taounate,
        dossier=dossier,
        status=DossierStatus.COUNCIL,
        note="الدورة العادية لأكتوبر",
    )
    with pytest.raises(ValidationError, match="Write the answer"):
        dossier_set_status(actor=actors.taounate, dossier=dossier, status=DossierStatus.ANSWERED)
    dossier_set_status(
        actor=actors.taounate,
        dossier=dossier,
        status=DossierStatus.ANSWERED,
        answer="برمجة مشروع الربط بالماء",
    )
    assert [c.status for c in dossier.changes.all()] == ["open", "council", "answered"]
    with pytest.raises(ValidationError, match="cannot change this dossier"):
        dossier_set_status(actor=actors.auditor, dossier=dossier, status=DossierStatus.OPEN)


def test_a_concern_key_used_in_another_territory_is_a_new_concern(client, actors, places):
    """Issue 12: Meknès's client_key sent from Taounate answered 200 with Meknès's concern."""
    from abwab.campaigns.tests.attacker import api_as, leaked, meknes_digest

    meknes = places["meknes"]
    before = meknes_digest(meknes)
    post = api_as(client, actors.taounate)
    body = {
        "client_key": meknes.concern.client_key,
        "territory_code": places["taounate_a"].node.code,
        "category": "roads",
        "description": "حفر في الطريق",
    }
    first = post("/api/listening/concerns", body)
    again = post("/api/listening/concerns", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["id"] != meknes.concern.pk
    assert first.json()["description"] == "حفر في الطريق"
    assert leaked(first.content.decode() + again.content.decode(), meknes) == []
    assert Concern.objects.filter(client_key=meknes.concern.client_key).count() == 2
    assert meknes_digest(meknes) == before


def test_a_concern_key_of_a_record_no_longer_visible_is_refused(actors, places):
    concern, created = concern_record(
        actor=actors.volunteer,
        client_key="closing-0001",
        territory=places["taounate_a"].node,
        category=category("water"),
        description="ماء",
        event=places["taounate_a"].event,
    )
    assert created
    type(places["taounate_a"].event).objects.filter(pk=places["taounate_a"].event.pk).update(
        status="closed"
    )
    with pytest.raises(ValidationError) as refused:
        concern_record(
            actor=actors.volunteer,
            client_key="closing-0001",
            territory=places["taounate_a"].node,
            category=category("water"),
            description="ماء",
        )
    assert refused.value.code == "key_reused"
    assert Concern.objects.filter(client_key="closing-0001").count() == 1

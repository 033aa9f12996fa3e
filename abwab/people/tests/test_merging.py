import datetime

import pytest
from django.core.exceptions import ValidationError

from abwab.people.merging import person_merge, person_merge_undo
from abwab.people.models import (
    Function,
    Institution,
    Mandate,
    MandateRole,
    Membership,
    MembershipStatus,
    Person,
    Skill,
)
from abwab.people.services import member_register, position_assign
from abwab.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def rows_of(person):
    return {
        "consents": set(person.consents.values_list("pk", flat=True)),
        "memberships": set(Membership.objects.filter(person=person).values_list("pk", "status")),
        "positions": set(person.positions.values_list("pk", flat=True)),
        "mandates": set(person.mandates.values_list("pk", flat=True)),
    }


@pytest.fixture
def pair(actors, places):
    survivor = PersonFactory(
        first_name_ar="محمد",
        last_name_ar="العلوي",
        first_name_latin="",
        last_name_latin="",
        phone="",
        cin="AB1",
    )
    duplicate = PersonFactory(
        first_name_ar="",
        last_name_ar="",
        first_name_latin="Mohammed",
        last_name_latin="Alaoui",
        phone="0661234567",
        cin=None,
    )
    duplicate.skills.add(Skill.objects.get(code="engineer"))
    member_register(
        actor=actors.taounate,
        person=survivor,
        consent_given=True,
        joined_on=datetime.date(2026, 1, 5),
    )
    member_register(
        actor=actors.taounate,
        person=duplicate,
        consent_given=True,
        joined_on=datetime.date(2026, 3, 1),
    )
    position_assign(
        person=duplicate,
        body=places["taounate_a"].body,
        function=Function.TREASURER,
        starts_on=datetime.date(2025, 1, 1),
    )
    Mandate.objects.create(
        person=duplicate,
        institution=Institution.COMMUNAL_COUNCIL,
        role=MandateRole.PRESIDENT,
        territory=places["taounate_a"].node,
        starts_on=datetime.date(2021, 9, 20),
    )
    return survivor, duplicate


def test_merge_keeps_every_row_and_fills_blanks(actors, pair):
    survivor, duplicate = pair
    before = {
        k: rows_of(survivor)[k] | rows_of(duplicate)[k]
        for k in ("consents", "positions", "mandates")
    }
    duplicate_card = duplicate.membership.card_number
    merge = person_merge(actor=actors.taounate, survivor=survivor, duplicate=duplicate)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    after = rows_of(survivor)
    assert {k: after[k] for k in before} == before
    assert len(after["memberships"]) == 2
    ended = Membership.objects.get(card_number=duplicate_card)
    assert ended.status == MembershipStatus.ENDED
    assert ended.changes.last().reason.startswith("Duplicate of card 03-2026-")
    assert (survivor.first_name_latin, survivor.last_name_latin, survivor.phone) == (
        "Mohammed",
        "Alaoui",
        "+212661234567",
    )
    assert list(survivor.skills.values_list("code", flat=True)) == ["engineer"]
    assert duplicate.merged_into == survivor
    assert not Person.objects.live().filter(pk=duplicate.pk).exists()
    assert (merge.by, merge.survivor, merge.merged) == (actors.taounate, survivor, duplicate)


def test_undo_puts_both_records_back(actors, pair):
    survivor, duplicate = pair
    before_survivor, before_duplicate = rows_of(survivor), rows_of(duplicate)
    merge = person_merge(actor=actors.taounate, survivor=survivor, duplicate=duplicate)
    person_merge_undo(actor=actors.fes_meknes, merge=merge)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert rows_of(survivor) == before_survivor
    assert rows_of(duplicate) == before_duplicate
    assert (survivor.first_name_latin, survivor.phone) == ("", "")
    assert not survivor.skills.exists()
    assert duplicate.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_by == actors.fes_meknes
    reasons = list(
        Membership.objects.get(person=duplicate).changes.values_list("reason", flat=True)
    )
    assert reasons[0] == "Joined" and reasons[-1] == "Merge undone"
    with pytest.raises(ValidationError, match="already undone"):
        person_merge_undo(actor=actors.taounate, merge=merge)


def test_cin_moves_and_comes_back(actors):
    survivor = PersonFactory(cin=None)
    duplicate = PersonFactory(cin="CD123")
    merge = person_merge(actor=actors.taounate, survivor=survivor, duplicate=duplicate)
    assert Person.objects.get(pk=survivor.pk).cin == "CD123"
    person_merge_undo(actor=actors.taounate, merge=merge)
    assert (Person.objects.get(pk=survivor.pk).cin, Person.objects.get(pk=duplicate.pk).cin) == (
        None,
        "CD123",
    )


def test_cannot_merge_twice_or_into_itself(actors):
    a, b = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError):
        person_merge(actor=actors.taounate, survivor=a, duplicate=a)
    person_merge(actor=actors.taounate, survivor=a, duplicate=b)
    with pytest.raises(ValidationError):
        person_merge(actor=actors.taounate, survivor=a, duplicate=b)

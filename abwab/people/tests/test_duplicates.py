import datetime

import pytest

from abwab.people.duplicates import duplicate_candidates
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
BIRTH = datetime.date(1980, 5, 1)


@pytest.fixture
def mohamed():
    return PersonFactory(
        first_name_ar="محمد",
        last_name_ar="العلوي",
        first_name_latin="",
        last_name_latin="",
        birth_date=BIRTH,
        cin="AB123456",
        phone="0661234567",
    )


def reasons(candidates):
    return [(c.person.pk, c.reasons) for c in candidates]


def test_latin_spelling_matches_the_arabic_record(mohamed):
    found = duplicate_candidates(
        first_name_latin="Mohammed", last_name_latin="El Alaoui", birth_date=BIRTH
    )
    assert reasons(found) == [(mohamed.pk, ["name_birth", "close_name"])]
    assert found[0].name_score > 0.8


def test_same_cin_or_phone_in_another_format(mohamed):
    assert reasons(duplicate_candidates(first_name_latin="X", cin="ab-123456")) == [
        (mohamed.pk, ["cin"])
    ]
    assert reasons(duplicate_candidates(first_name_latin="X", phone="+212 661 23 45 67")) == [
        (mohamed.pk, ["phone"])
    ]


def test_swapped_first_and_last_name_same_commune(mohamed):
    found = duplicate_candidates(
        first_name_latin="Alaoui", last_name_latin="Mohamed", territory=mohamed.territory
    )
    assert reasons(found) == [(mohamed.pk, ["name_commune"])]


def test_mistyped_first_name_with_same_last_name_and_birth_date(mohamed):
    found = duplicate_candidates(
        first_name_latin="Mohmaed", last_name_latin="Alaoui", birth_date=BIRTH
    )
    assert [c.person.pk for c in found] == [mohamed.pk]


def test_another_first_name_with_same_family_and_birthday_is_not_a_duplicate(mohamed):
    assert (
        duplicate_candidates(first_name_latin="Khadija", last_name_latin="Alaoui", birth_date=BIRTH)
        == []
    )


def test_nothing_in_common_finds_nothing(mohamed):
    other = Territory.objects.get(code="03.061.01.01")
    assert (
        duplicate_candidates(
            first_name_latin="Mohamed",
            last_name_latin="Alaoui",
            birth_date=datetime.date(1990, 1, 1),
            territory=other,
        )
        == []
    )


def test_strongest_reason_first(mohamed):
    namesake = PersonFactory(
        first_name_ar="محمد",
        last_name_ar="العلوي",
        birth_date=BIRTH,
        first_name_latin="",
        last_name_latin="",
    )
    found = duplicate_candidates(
        first_name_ar="محمد", last_name_ar="العلوي", birth_date=BIRTH, cin="AB123456"
    )
    assert [c.person.pk for c in found] == [mohamed.pk, namesake.pk]
    assert found[0].score > found[1].score

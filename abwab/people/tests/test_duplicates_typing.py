"""The door lookup finds a person typed again with each kind of typing error, ranked first."""

import datetime

import pytest

from abwab.people.duplicates import duplicate_candidates
from abwab.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
BIRTH = datetime.date(1988, 10, 21)

CIN_ERRORS = {
    "two digits swapped": "AB124356",
    "a digit dropped": "AB12356",
    "a digit doubled": "AB1233456",
    "a digit added": "AB1293456",
    "a digit replaced": "AB123856",
    "prefix swapped": "BA123456",
    "prefix letter dropped": "B123456",
    "prefix letter added": "AKB123456",
}
LOOK_ALIKE = ["ab-12345b", "AB12345G", "AB l23456", "ab 123 4S6"]
PHONE_ERRORS = {
    "two digits swapped": "0661234576",
    "a digit dropped": "066123456",
    "a digit doubled": "06612344567",
    "a digit replaced": "0661234568",
}
NAME_ERRORS = {
    "latin typo": {"first_name_latin": "Hajar", "last_name_latin": "Lahlu"},
    "arabic typo": {"first_name_ar": "هاجر", "last_name_ar": "لحلوا"},
    "letter dropped in a long arabic name": {"first_name_ar": "هاجر", "last_name_ar": "بنجلن"},
    "first and last swapped": {"first_name_latin": "Lahlou", "last_name_latin": "Hajar"},
    "el split": {"first_name_latin": "Hajar", "last_name_latin": "El Lahlou"},
    "ال joined": {"first_name_ar": "هاجر", "last_name_ar": "اللحلو"},
}


@pytest.fixture
def hajar():
    return PersonFactory(
        first_name_ar="هاجر",
        last_name_ar="لحلو",
        first_name_latin="",
        last_name_latin="",
        birth_date=BIRTH,
        cin="AB123456",
        phone="0661234567",
    )


@pytest.fixture
def neighbours():
    """Cards and numbers one typing error from Hajar's, held by other people."""
    return [
        PersonFactory(
            first_name_latin="Youssef",
            last_name_latin="Tazi",
            first_name_ar="",
            last_name_ar="",
            cin="AB123457",
            phone="0661234566",
        ),
        PersonFactory(
            first_name_latin="Karim",
            last_name_latin="Idrissi",
            first_name_ar="",
            last_name_ar="",
            cin="AB133456",
        ),
    ]


def first_pk(found):
    return found[0].person.pk if found else None


@pytest.mark.parametrize("kind", sorted(CIN_ERRORS))
def test_a_cin_one_error_off_and_the_name_in_latin_find_the_arabic_record_first(
    hajar, neighbours, kind
):
    found = duplicate_candidates(
        first_name_latin="Hajar", last_name_latin="Lahlou", cin=CIN_ERRORS[kind]
    )
    assert first_pk(found) == hajar.pk
    assert found[0].reasons == ["cin_near"]
    assert hajar.pk not in [c.person.pk for c in found[1:]]


@pytest.mark.parametrize("kind", sorted(CIN_ERRORS))
def test_a_cin_one_error_off_with_the_birth_date_outranks_a_namesake(hajar, kind):
    namesake = PersonFactory(
        first_name_latin="Hajar",
        last_name_latin="Lahlou",
        first_name_ar="",
        last_name_ar="",
        birth_date=BIRTH,
        cin="CD987654",
    )
    found = duplicate_candidates(
        first_name_latin="Hajar", last_name_latin="Lahlou", birth_date=BIRTH, cin=CIN_ERRORS[kind]
    )
    assert [c.person.pk for c in found] == [hajar.pk, namesake.pk]
    assert found[0].score > found[1].score


@pytest.mark.parametrize("typed", LOOK_ALIKE)
def test_look_alike_letters_case_and_spaces_read_as_the_same_cin(hajar, typed):
    found = duplicate_candidates(first_name_latin="Hajar", cin=typed)
    assert first_pk(found) == hajar.pk
    assert found[0].reasons == ["cin"]


def test_a_neighbours_card_with_another_name_is_not_a_candidate(hajar, neighbours):
    found = duplicate_candidates(
        first_name_latin="Salma", last_name_latin="Kettani", cin="AB123458"
    )
    assert found == []


@pytest.mark.parametrize("kind", sorted(PHONE_ERRORS))
def test_a_phone_one_error_off_and_the_name_find_the_record_first(hajar, neighbours, kind):
    found = duplicate_candidates(
        first_name_latin="Hajar", last_name_latin="Lahlou", phone=PHONE_ERRORS[kind]
    )
    assert first_pk(found) == hajar.pk
    assert "phone_near" in found[0].reasons


def test_a_phone_with_look_alike_letters_is_the_same_phone(hajar):
    found = duplicate_candidates(first_name_latin="Hajar", phone="066l234S67")
    assert first_pk(found) == hajar.pk
    assert found[0].reasons == ["phone"]


@pytest.mark.parametrize("kind", sorted(NAME_ERRORS))
def test_a_name_typed_otherwise_with_the_birth_date_finds_the_record_first(kind):
    person = PersonFactory(
        first_name_ar="هاجر",
        last_name_ar="بنجلون" if "long" in kind else "لحلو",
        first_name_latin="Hajar",
        last_name_latin="Benjelloun" if "long" in kind else "Lahlou",
        birth_date=BIRTH,
    )
    PersonFactory(
        first_name_latin="Meryem",
        last_name_latin="Alami",
        first_name_ar="",
        last_name_ar="",
        birth_date=BIRTH,
    )
    found = duplicate_candidates(**NAME_ERRORS[kind], birth_date=BIRTH)
    assert [c.person.pk for c in found] == [person.pk]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (("Abdelaziz", "Benkirane"), {"first_name_ar": "عبد العزيز", "last_name_ar": "بن كيران"}),
        (("Abd El Aziz", "Ben Kirane"), {"first_name_ar": "عبدالعزيز", "last_name_ar": "بنكيران"}),
        (
            ("Noureddine", "Elfassi"),
            {"first_name_latin": "Nour Eddine", "last_name_latin": "Al Fassi"},
        ),
    ],
)
def test_compound_names_split_or_joined_find_the_record(stored, typed):
    person = PersonFactory(
        first_name_latin=stored[0],
        last_name_latin=stored[1],
        first_name_ar="",
        last_name_ar="",
        birth_date=BIRTH,
    )
    found = duplicate_candidates(**typed, birth_date=BIRTH)
    assert first_pk(found) == person.pk

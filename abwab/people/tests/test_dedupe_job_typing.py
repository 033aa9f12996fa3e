"""The batch dedup job over a territory joins records whose CIN or phone is one typing error off."""

import datetime

import pytest

from abwab.people.dedupe_job import find_clusters
from abwab.people.models import Person
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
FIELDS = (
    "pk",
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "cin",
    "phone",
    "birth_date",
    "territory_id",
    "key_full",
    "key_last",
)
CIN_ERRORS = {
    "two digits swapped": "AB124356",
    "a digit dropped": "AB12356",
    "a digit doubled": "AB1233456",
    "a digit added": "AB1293456",
    "a digit replaced": "AB123856",
    "prefix swapped": "BA123456",
    "prefix letter dropped": "B123456",
}
PHONE_ERRORS = {"two digits swapped": "0661234576", "a digit replaced": "0661234568"}


def person(first_ar="", last_ar="", first_latin="", last_latin="", **fields):
    # No birth date: only the identifiers can bring the two records together.
    fields.setdefault("birth_date", None)
    return PersonFactory(
        first_name_ar=first_ar,
        last_name_ar=last_ar,
        first_name_latin=first_latin,
        last_name_latin=last_latin,
        **fields,
    )


def clusters():
    rows = list(Person.objects.values(*FIELDS))
    return sorted(pks for pks, _score in find_clusters(rows))


@pytest.mark.parametrize("kind", sorted(CIN_ERRORS))
def test_a_cin_one_error_off_with_the_name_in_the_other_script_is_a_cluster(kind):
    hajar = person("هاجر", "لحلو", cin="AB123456")
    typed = person(first_latin="Hajar", last_latin="Lahlou", cin=CIN_ERRORS[kind])
    neighbour = person(first_latin="Youssef", last_latin="Tazi", cin="AB123457")
    assert clusters() == [sorted([hajar.pk, typed.pk])]
    assert neighbour.pk not in clusters()[0]


@pytest.mark.parametrize("kind", sorted(PHONE_ERRORS))
def test_a_phone_one_error_off_with_the_same_name_is_a_cluster(kind):
    hajar = person("هاجر", "لحلو", phone="0661234567")
    typed = person(first_latin="Hajar", last_latin="Lahlou", phone=PHONE_ERRORS[kind])
    person(first_latin="Youssef", last_latin="Tazi", phone="0661234566")
    assert clusters() == [sorted([hajar.pk, typed.pk])]


def test_two_errors_off_is_no_cluster():
    elsewhere = Territory.objects.get(code="03.531.01.01")
    person("هاجر", "لحلو", cin="AB123456", birth_date=datetime.date(1988, 10, 21))
    person(first_latin="Hajar", last_latin="Lahlou", cin="AB214356", territory=elsewhere)
    assert clusters() == []

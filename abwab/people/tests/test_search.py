"""People search finds a person by a phone or a CIN written the way screens and cards show them."""

import pytest

from abwab.people.selectors import person_search
from abwab.people.services import person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia(places):
    return person_update(
        actor=None, person=places["taounate_a"].person, phone="0612345678", cin="CD123456"
    )


def found(actor, query: str) -> list[int]:
    return list(person_search(actor=actor, query=query).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "+212 6 12 34 56 78",  # as the person's page shows it
        "+212 6-12-34-56-78",
        "+212612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "٠٦١٢٣٤٥٦٧٨",
        "612345678",
    ],
)
def test_a_phone_as_displayed_finds_the_person(actors, nadia, query):
    assert found(actors.taounate, query) == [nadia.pk]


@pytest.mark.parametrize(
    "query", ["CD123456", "cd123456", "CD 123456", "cd-123456", "ＣＤ１２３４５６"]
)
def test_a_cin_as_typed_finds_the_person(actors, nadia, query):
    assert found(actors.taounate, query) == [nadia.pk]


def test_a_phone_with_a_name_narrows_to_both(actors, nadia):
    assert found(actors.taounate, f"+212 6 12 34 56 78 {nadia.last_name_latin}") == [nadia.pk]
    assert found(actors.taounate, "+212 6 12 34 56 78 Nobody") == []


def test_another_number_and_another_scope_find_nothing(actors, nadia):
    assert found(actors.taounate, "+212 6 99 34 56 78") == []
    assert found(actors.meknes, "+212 6 12 34 56 78") == []


def test_the_people_page_finds_a_displayed_phone(client, actors, nadia):
    client.force_login(actors.taounate)
    page = client.get("/people/", {"q": "+212 6 12 34 56 78"}).content.decode()
    assert f"/people/{nadia.pk}/" in page

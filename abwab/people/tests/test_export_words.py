"""An export speaks its language: choices (gender, membership state) and the commune are written
as words of the export's language, never as stored codes ("M", "active")."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from abwab.people.models import Gender, MembershipStatus
from abwab.people.services import person_update

pytestmark = pytest.mark.django_db
URL = reverse("people:export_list")
GENDER, COMMUNE, STATUS = 4, 7, 9


def exported_csv(client, language: str) -> list[list[str]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(URL, {"reason": "réunion", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def words(choices, language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices}


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_csv_choices_are_words_of_the_exports_language(client, actors, places, language):
    person_update(actor=None, person=places["taounate_a"].person, gender=Gender.MALE)
    client.force_login(actors.taounate)
    rows = exported_csv(client, language)
    mine = next(row for row in rows if row[3] == "person-taounate_a")
    person, membership = places["taounate_a"].person, places["taounate_a"].membership
    assert mine[GENDER] == words(Gender.choices, language)["M"] != "M"
    assert mine[STATUS] == words(MembershipStatus.choices, language)[membership.status]
    name = person.territory.name_fr if language == "fr" else person.territory.name_ar
    assert mine[COMMUNE] == name
    codes = set(Gender.values) | set(MembershipStatus.values)
    assert not codes & ({row[GENDER] for row in rows} | {row[STATUS] for row in rows})


def test_a_french_workbook_reads_left_to_right_with_french_words(client, actors, places):
    client.force_login(actors.taounate)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(URL, {"reason": "r", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert not sheet.sheet_view.rightToLeft
    statuses = {row[STATUS] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert words(MembershipStatus.choices, "fr")["active"] in statuses
    assert "active" not in statuses

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from abwab.core.models import AuditEntry
from conftest import in_arabic

pytestmark = pytest.mark.django_db
URL = reverse("people:export_list")


def test_csv_export_streams_only_the_scope_and_logs_why(client, actors, places):
    client.force_login(actors.taounate)
    assert client.post(URL, {"reason": "", "format": "csv"}).status_code == 200  # asks why first
    response = client.post(URL, {"reason": "liste pour la réunion", "format": "csv"})
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = {row[3] for row in rows[1:]}
    assert {"person-taounate_a", "person-taounate_b"} <= names and "person-meknes" not in names
    card = places["taounate_a"].membership.card_number
    assert any(row[8] == card and row[9] == in_arabic("Active") for row in rows[1:])
    entry = AuditEntry.objects.get(action="export", actor=actors.taounate)
    assert entry.reason == "csv: liste pour la réunion" and entry.object_type == "people.Person"


def test_xlsx_export_is_a_right_to_left_workbook(client, actors, places):
    client.force_login(actors.meknes)
    response = client.post(URL + "?q=person", {"reason": "r", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft
    values = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ["person-meknes"]


@pytest.mark.parametrize("actor_name", ["media", "volunteer"])
def test_roles_without_personal_data_cannot_export(client, actors, actor_name):
    client.force_login(getattr(actors, actor_name))
    assert client.post(URL, {"reason": "x", "format": "csv"}).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_printable_cards_carry_names_number_region_and_qr(client, actors, places):
    from pypdf import PdfReader

    from abwab.people.services import person_update

    person_update(actor=None, person=places["taounate_a"].person, last_name_ar="العلوي")
    client.force_login(actors.taounate)
    membership = places["taounate_a"].membership
    response = client.get(reverse("people:card_pdf", args=[membership.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert {"سعاد", "العلوي", "person-taounate_a"} <= set(text.split())
    assert membership.card_number.replace("-", "") in text.replace("-", "").replace(" ", "")
    client.force_login(actors.meknes)
    assert client.get(reverse("people:card_pdf", args=[membership.pk])).status_code == 404

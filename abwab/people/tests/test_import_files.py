"""Hostile member lists: files that are not what they claim, lines that are too long or carry
control characters. Each is refused with a clear reason, as a file or as one line, and a refused
file leaves nothing behind, neither a row nor a file under MEDIA_ROOT."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abwab.core.uploads import check_upload
from abwab.people.imports import import_upload
from abwab.people.models import ImportBatch, ImportRow, Person, RowStatus
from abwab.people.tests.test_imports import HEADER, good, members_csv, run
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def csv_bytes(lines) -> bytes:
    return members_csv(lines).read()


HOSTILE = {
    "random bytes named .xlsx": ("list.xlsx", b"\x00\x01not a workbook at all" * 10),
    "a zip that is not a workbook": ("list.xlsx", zip_bytes({"hello.txt": b"hello"})),
    "a cut workbook": ("list.xlsx", zip_bytes({"xl/workbook.xml": b"<x"})[:60]),
    "a workbook without its parts": ("list.xlsx", zip_bytes({"xl/workbook.xml": b"<broken"})),
    "a CSV that is not UTF-8": ("list.csv", b"\xff\xfe\x00n\x00o\x00m\xe9\xe8"),
    "an empty CSV": ("list.csv", b""),
    "a kind not accepted": ("list.exe", b"MZ\x90\x00"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_file_that_is_not_a_member_list_is_refused_and_nothing_is_kept(client, actors, case):
    # given an empty media folder
    client.force_login(actors.taounate)
    before, batches = media_files(), ImportBatch.objects.count()
    name, data = HOSTILE[case]
    # when the file is uploaded on the import page
    response = client.post(
        reverse("people:imports"),
        {"territory": "03.531", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    # then the page answers with an error, and nothing is stored
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert ImportBatch.objects.count() == batches
    assert media_files() == before


def test_a_file_too_big_is_refused_and_nothing_is_kept(client, actors, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(actors.taounate)
    before, batches = media_files(), ImportBatch.objects.count()
    response = client.post(
        reverse("people:imports"),
        {
            "territory": "03.531",
            "file": SimpleUploadedFile("list.csv", csv_bytes(good(i) for i in range(20))),
        },
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert ImportBatch.objects.count() == batches
    assert media_files() == before


def test_a_workbook_is_told_from_other_zip_files():
    # docx, odt and xlsx all start PK: their content tells them apart, not their first bytes
    workbook = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    document = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>"})
    assert check_upload(SimpleUploadedFile("a.xlsx", workbook), allowed=("xlsx",)) == "xlsx"
    assert check_upload(SimpleUploadedFile("a.docx", document), allowed=("docx",)) == "docx"
    with pytest.raises(Exception, match="does not match its name") as error:
        check_upload(SimpleUploadedFile("a.xlsx", document), allowed=("xlsx",))
    assert error.value.code == "bad_content"


def test_a_real_workbook_is_read(actors, django_capture_on_commit_callbacks):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for i in range(3):
        sheet.append(good(i))
    out = io.BytesIO()
    workbook.save(out)
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=SimpleUploadedFile("adherents.xlsx", out.getvalue()),
    )
    assert batch.columns == HEADER
    check = run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert (check.status, check.result["pending"], check.result["invalid"]) == ("done", 3, 0)


def test_a_field_of_200000_characters_refuses_its_line_only(
    actors, django_capture_on_commit_callbacks
):
    # given a file whose second line has a 200,000-character name (beyond the CSV reader's limit)
    # and whose fourth has a name longer than a name may be
    long = good(1)
    long[0] = "x" * 200_000
    longish = good(3)
    longish[1] = "y" * 101
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=members_csv([good(0), long, good(2), longish, good(4)]),
    )
    # when it is checked and imported
    check = run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    # then those lines are refused, each with its reason, and the others go in
    assert check.status == "done"
    assert (check.result["pending"], check.result["invalid"]) == (3, 2)
    rows = {row.line: row for row in ImportRow.objects.filter(batch=batch)}
    assert sorted(rows) == [3, 5]
    assert rows[3].status == rows[5].status == RowStatus.INVALID
    assert rows[3].error == "a field is too long (more than 131072 characters)"
    assert rows[5].error == "last name (Latin): too long (at most 100 characters)"
    assert len(rows[5].data["last_name_latin"]) <= 1000
    imported = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert (imported.status, imported.result["imported"]) == ("done", 3)
    assert sorted(Person.objects.filter(import_batch=batch).values_list("cin", flat=True)) == [
        "IM100000",
        "IM100002",
        "IM100004",
    ]


@pytest.mark.parametrize("field", [0, 3, 5, 6, 8])  # a name, an Arabic name, a date, a CIN, commune
def test_control_characters_refuse_the_line_and_are_never_stored(
    actors, django_capture_on_commit_callbacks, field
):
    # given a file whose second line carries a NUL byte (PostgreSQL refuses it in text)
    bad = good(1)
    bad[field] = bad[field][:2] + "\x00" + bad[field][2:] if bad[field] else "\x00"
    bell = good(2)
    bell[0] = "Sa\x07ra"
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=members_csv([good(0), bad, bell, good(3)]),
    )
    # when it is checked and imported
    check = run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    # then those lines are refused with their reason, kept without the characters, never imported
    assert check.status == "done"
    rows = list(ImportRow.objects.filter(batch=batch).values_list("line", "status", "error"))
    name = ["first_name_latin", "", "", "last_name_ar", "", "birth_date", "cin", "", "commune_code"]
    assert rows == [
        (3, "invalid", f"control characters in {name[field]}"),
        (4, "invalid", "control characters in first_name_latin"),
    ]
    for data in ImportRow.objects.filter(batch=batch).values_list("data", flat=True):
        assert not any(ch in value for value in data.values() for ch in "\x00\x07")
    assert sorted(Person.objects.filter(import_batch=batch).values_list("cin", flat=True)) == [
        "IM100000",
        "IM100003",
    ]
    assert not Person.objects.filter(first_name_latin__contains="\x07").exists()

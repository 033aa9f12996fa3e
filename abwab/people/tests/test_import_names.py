"""Member lists as secretariats have them: communes by name in either script, a template to start
from, and a mapping screen in words rather than field codes."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from abwab.people.import_lines import FIELD_LABELS, FIELDS, LineCleaner, commune_key
from abwab.people.imports import import_upload
from abwab.people.models import ImportBatch, ImportRow, Membership, Person, RowStatus
from abwab.people.tests.test_imports import HEADER, members_csv, run
from abwab.territory.models import Territory
from conftest import in_arabic

pytestmark = pytest.mark.django_db


def line(cin: str, commune: str) -> list[str]:
    return ["Sara", "Tazi", "", "", "F", "1990-01-01", cin, "", commune]


def code_of(territory_id: int) -> str:
    return Territory.objects.get(pk=territory_id).code


def test_commune_keys_ignore_case_accents_hamza_and_diacritics():
    assert commune_key("Aïn Aïcha") == commune_key("AIN AICHA") == "ain aicha"
    assert commune_key("Sidi Haj M'hamed") == commune_key("sidi haj mhamed")
    assert commune_key("Thar Es-Souk") == commune_key("thar es souk")
    assert commune_key("أورتزاغ") == commune_key("اورتزاغ") == commune_key("إورتزاغ")
    assert commune_key("تَاوْنَات") == commune_key("تاونات")
    assert commune_key("عين عائشة") == commune_key("عين عايشه")
    assert commune_key("Taounate") != commune_key("Tissa")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("03.531.01.05", "03.531.01.05"),
        ("Taounate", "03.531.01.05"),
        ("  TAOUNATE ", "03.531.01.05"),
        ("تاونات", "03.531.01.05"),
        ("تَاوْنَات", "03.531.01.05"),
        ("اورتزاغ", "03.531.03.09"),  # أورتزاغ without its hamza
        ("thar es souk", "03.531.01.07"),
        ("Sidi Haj Mhamed", "03.531.03.13"),
        ("Aïn Aïcha", "03.531.09.01"),
        ("عين عايشة", "03.531.09.01"),
    ],
)
def test_a_commune_is_found_by_its_code_or_its_name_in_either_script(written, code):
    cleaner = LineCleaner(Territory.objects.get(code="03.531"))
    clean = cleaner.clean({"first_name_latin": "Sara", "commune_code": written})
    assert code_of(clean["territory_id"]) == code


def test_a_name_two_communes_bear_is_ambiguous_in_the_nation_but_not_in_one_region():
    # Ajdir is a commune of Al Hoceima (region 01) and one of Taza (region 03)
    nation = LineCleaner(Territory.objects.get(code="MA"))
    for written in ("Ajdir", "أجدير", "AJDIR"):
        with pytest.raises(Exception) as error:
            nation.clean({"first_name_latin": "Sara", "commune_code": written})
        [message] = error.value.messages
        assert message.startswith(f"commune {written} is ambiguous")
        assert "(01.051.01.09)" in message and "(03.561.03.01)" in message
    region = LineCleaner(Territory.objects.get(code="03"))
    clean = region.clean({"first_name_latin": "Sara", "commune_code": "Ajdir"})
    assert code_of(clean["territory_id"]) == "03.561.03.01"


def test_a_name_not_of_the_territory_refuses_its_line_only(
    actors, django_capture_on_commit_callbacks
):
    # Given a file for Taounate: a good line by name, then Ajdir (a commune of Taza and of Al
    # Hoceima, not of Taounate), a name no commune bears, and Meknès
    lines = [
        line("IM200001", "Taounate"),
        line("IM200002", "أجدير"),
        line("IM200003", "Atlantis"),
        line("IM200004", "مكناس"),
    ]
    batch = import_upload(
        actor=actors.fes_meknes,
        territory=Territory.objects.get(code="03.531"),
        upload=members_csv(lines),
    )
    run("people.import_check", batch, actors.fes_meknes, django_capture_on_commit_callbacks)
    run("people.import_run", batch, actors.fes_meknes, django_capture_on_commit_callbacks)
    # Then the good line is imported in its commune, each other line says why it is not
    imported = Person.objects.get(cin="IM200001")
    assert imported.territory.code == "03.531.01.05"
    assert Membership.objects.filter(person=imported, territory__code="03.531.01.05").exists()
    assert not Person.objects.filter(cin__in=["IM200002", "IM200003", "IM200004"]).exists()
    errors = dict(ImportRow.objects.filter(batch=batch).values_list("line", "error"))
    assert set(errors) == {3, 4, 5}
    assert errors[3] == "commune أجدير is unknown or outside تاونات"  # Ajdir is not in Taounate
    assert errors[4] == "commune Atlantis is unknown or outside تاونات"
    assert errors[5] == "commune مكناس is unknown or outside تاونات"


def test_an_ambiguous_name_names_the_communes_and_their_provinces(
    actors, django_capture_on_commit_callbacks
):
    batch = import_upload(
        actor=actors.admin,
        territory=Territory.objects.get(code="MA"),
        upload=members_csv([line("IM200011", "Ajdir"), line("IM200012", "Taounate")]),
    )
    run("people.import_check", batch, actors.admin, django_capture_on_commit_callbacks)
    [row] = ImportRow.objects.filter(batch=batch)
    assert (row.line, row.status) == (2, RowStatus.INVALID)
    hoceima, taza = Territory.objects.filter(code__in=["01.051", "03.561"]).order_by("code")
    assert f"{hoceima} (01.051.01.09)" in row.error and f"{taza} (03.561.03.01)" in row.error
    run("people.import_run", batch, actors.admin, django_capture_on_commit_callbacks)
    assert Person.objects.get(cin="IM200012").territory.code == "03.531.01.05"


def test_line_errors_name_fields_by_their_label():
    cleaner = LineCleaner(Territory.objects.get(code="03.531"))
    with pytest.raises(Exception) as error:
        cleaner.clean({"first_name_latin": "Sara", "cin": "123", "commune_code": "Taounate"})
    assert error.value.messages[0].startswith(f"{FIELD_LABELS['cin']}: ")
    assert not error.value.messages[0].startswith("cin:")


def _upload_template(client, actor, kind, language):
    client.force_login(actor)
    client.cookies["django_language"] = language
    response = client.get(reverse("people:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="members-template.{kind}"'
    return response.content


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_template_is_in_the_reader_s_language_and_imports_as_it_is(
    client, actors, kind, language, django_capture_on_commit_callbacks
):
    from django.utils import translation

    # When Taounate's secretary downloads the template
    content = _upload_template(client, actors.taounate, kind, language)
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    # Then its headers are the fields' labels in that language, with one example line
    with translation.override(language):
        assert rows[0] == [str(FIELD_LABELS[field]) for field in FIELDS]
    assert len(rows) == 2
    # And uploaded back as it is, every column is recognised and the example line is valid
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=SimpleUploadedFile(f"template.{kind}", content),
    )
    assert sorted(batch.mapping.values()) == sorted(FIELDS)
    job = run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert (job.result["pending"], job.result["invalid"], job.result["duplicate"]) == (1, 0, 0)
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    person = Person.objects.get(import_batch=batch)
    assert person.territory.path.startswith(Territory.objects.get(code="03.531").path)
    assert (person.first_name_ar, person.last_name_latin, person.gender) == ("فاطمة", "Alaoui", "F")
    assert str(person.birth_date) == "1990-01-15"
    assert str(person.memberships.get().joined_on) == "2025-01-15"


def test_the_import_page_offers_the_template(client, actors):
    client.force_login(actors.taounate)
    page = client.get(reverse("people:imports")).content.decode()
    assert reverse("people:import_template", args=["csv"]) in page
    assert reverse("people:import_template", args=["xlsx"]) in page
    client.force_login(actors.volunteer)  # no import for a volunteer, no template either
    assert client.get(reverse("people:import_template", args=["csv"])).status_code == 404
    client.force_login(actors.taounate)
    assert client.get(reverse("people:import_template", args=["pdf"])).status_code == 404


def test_the_mapping_screen_shows_labels_and_keeps_codes_as_values(client, actors):
    client.force_login(actors.taounate)
    client.post(
        reverse("people:imports"), {"territory": "03.531", "file": members_csv([line("A1", "x")])}
    )
    batch = ImportBatch.objects.get(name="adherents.csv")
    page = client.get(reverse("people:import", args=[batch.pk])).content.decode()
    for field in FIELDS:
        assert f'value="{field}"' in page
        assert f">{field}</option>" not in page
    label = in_arabic("first name (Latin)")
    assert f'value="first_name_latin" selected>{label[0].upper()}{label[1:]}</option>' in page


def test_a_big_file_in_arabic_is_read_whatever_falls_at_the_read_ahead_boundary(actors):
    # A CSV longer than the reader's first block, Arabic throughout: the UTF-8 check reads it
    # from its start, never from the middle of a letter
    for pad in range(4):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(400):
            writer.writerow(["", "", "ف" * (i % 7 + 1) + "ا" * pad, "العلوي", "F", "", "", "", ""])
        batch = import_upload(
            actor=actors.taounate,
            territory=Territory.objects.get(code="03.531"),
            upload=SimpleUploadedFile("big.csv", out.getvalue().encode("utf-8")),
        )
        assert batch.columns == HEADER


def test_an_xlsx_by_name_in_arabic(actors, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["الاسم", "النسب", "الجماعة"])
    sheet.append(["سارة", "التازي", "قرية با محمد"])
    data = io.BytesIO()
    workbook.save(data)
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=SimpleUploadedFile("m.xlsx", data.getvalue()),
    )
    run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert Person.objects.get(import_batch=batch).territory.code == "03.531.01.03"

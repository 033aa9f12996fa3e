import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abwab.core.jobs import job_start
from abwab.core.models import Job
from abwab.people import imports
from abwab.people.imports import import_rollback, import_upload, invalid_lines_csv
from abwab.people.models import ImportBatch, ImportRow, Membership, Person, RowStatus
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
HEADER = [
    "prénom",
    "nom",
    "الاسم",
    "النسب",
    "sexe",
    "date de naissance",
    "cin",
    "téléphone",
    "commune",
]


def members_csv(lines):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(lines)
    return SimpleUploadedFile("adherents.csv", out.getvalue().encode("utf-8"))


def good(i, commune="03.531.01.05"):
    return [
        f"Prenom{i}",
        "Alaoui",
        "",
        "العلوي",
        "F" if i % 2 else "M",
        f"1990-01-{1 + i % 28:02d}",
        f"IM{100000 + i}",
        "",
        commune,
    ]


BAD = [
    ["", "", "", "", "F", "1990-01-01", "", "", "03.531.01.05"],  # no name
    ["Sara", "Tazi", "", "", "F", "31/02/1990", "", "", "03.531.01.05"],  # impossible date
    ["Omar", "Fassi", "", "", "M", "1980-05-05", "123", "", "03.531.01.05"],  # bad CIN
    [
        "Hind",
        "Kabbaj",
        "",
        "",
        "F",
        "1980-05-05",
        "",
        "",
        "03.061.01.01",
    ],  # Meknès, outside Taounate
]


def run(kind, batch, actor, capture):
    with capture(execute=True):
        job = job_start(
            actor=actor, kind=kind, territory=batch.territory, params={"batch": batch.pk}
        )
    job.refresh_from_db()
    return job


def test_bad_rows_are_kept_with_their_error_and_good_rows_go_in(
    actors, django_capture_on_commit_callbacks
):
    taounate = Territory.objects.get(code="03.531")
    batch = import_upload(
        actor=actors.taounate,
        territory=taounate,
        upload=members_csv([good(i) for i in range(6)] + BAD + [good(0)]),
    )
    assert batch.mapping == {
        "prénom": "first_name_latin",
        "nom": "last_name_latin",
        "الاسم": "first_name_ar",
        "النسب": "last_name_ar",
        "sexe": "gender",
        "date de naissance": "birth_date",
        "cin": "cin",
        "téléphone": "phone",
        "commune": "commune_code",
    }
    check = run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert (check.result["pending"], check.result["invalid"], check.result["duplicate"]) == (
        6,
        4,
        1,
    )
    errors = dict(
        ImportRow.objects.filter(batch=batch, status=RowStatus.INVALID).values_list("line", "error")
    )
    assert errors[8] == "no name"
    assert "unreadable date" in errors[9]
    assert errors[10].startswith("CIN: ")  # the field by its label
    assert "03.061.01.01 is unknown or outside" in errors[11]
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert Person.objects.filter(cin__startswith="IM").count() == 6
    assert (
        Membership.objects.filter(person__cin__startswith="IM", consent__channel="import").count()
        == 6
    )
    lines = list(csv.reader(io.StringIO(invalid_lines_csv(batch).lstrip("\ufeff"))))
    assert [row[0] for row in lines[1:]] == ["8", "9", "10", "11", "12"]


def test_importing_the_same_file_again_adds_nothing(actors, django_capture_on_commit_callbacks):
    taounate = Territory.objects.get(code="03.531")
    for _ in range(2):
        batch = import_upload(
            actor=actors.taounate,
            territory=taounate,
            upload=members_csv([good(i) for i in range(5)]),
        )
        run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
        run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert Person.objects.filter(cin__startswith="IM").count() == 5
    assert batch.rows.filter(status=RowStatus.DUPLICATE).count() == 5


def test_an_interrupted_import_resumes_and_can_be_rolled_back(
    actors, django_capture_on_commit_callbacks, monkeypatch
):
    taounate = Territory.objects.get(code="03.531")
    batch = import_upload(
        actor=actors.taounate, territory=taounate, upload=members_csv([good(i) for i in range(12)])
    )
    run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    monkeypatch.setattr(imports, "CHUNK", 5)
    calls = {"n": 0}
    real = imports._import_chunk

    def dies_on_second_chunk(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(*args)

    monkeypatch.setattr(imports, "_import_chunk", dies_on_second_chunk)
    job = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert (
        Person.objects.filter(cin__startswith="IM").count() == 5
    )  # the first chunk, whole; nothing half-imported
    monkeypatch.setattr(imports, "_import_chunk", real)
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert Person.objects.filter(cin__startswith="IM").count() == 12
    cards = list(
        Membership.objects.filter(person__cin__startswith="IM").values_list(
            "card_number", flat=True
        )
    )
    assert len(set(cards)) == 12
    assert import_rollback(actor=actors.taounate, batch=ImportBatch.objects.get(pk=batch.pk)) == 12
    assert not Person.objects.filter(cin__startswith="IM").exists()


def test_pages_upload_and_show_the_check(client, actors):
    client.force_login(actors.taounate)
    response = client.post(
        reverse("people:imports"), {"territory": "03.531", "file": members_csv([good(1)] + BAD[:1])}
    )
    batch = ImportBatch.objects.get(name="adherents.csv")
    assert response.url == reverse("people:import", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "prénom" in page and 'value="first_name_latin" selected' in page
    client.force_login(actors.meknes)
    assert client.get(reverse("people:import", args=[batch.pk])).status_code == 404
    assert not Job.objects.filter(kind__startswith="people.import").exists()


def test_a_cin_held_outside_the_import_s_area_says_only_that_a_record_may_exist_elsewhere(
    actors, places, django_capture_on_commit_callbacks
):
    # Given a member of Meknès with a CIN, and one of Taounate
    meknes = places["meknes"].person
    taounate_person = places["taounate_a"].person
    Person.objects.filter(pk=meknes.pk).update(cin="MK123456")
    Person.objects.filter(pk=taounate_person.pk).update(cin="TA654321")
    meknes.refresh_from_db()
    taounate_person.refresh_from_db()
    line_meknes = good(1)
    line_meknes[6] = meknes.cin
    line_here = good(2)
    line_here[6] = taounate_person.cin
    # When Taounate's secretary checks a file that carries both CINs
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=members_csv([line_meknes, line_here]),
    )
    run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    # Then neither line is imported; the one held elsewhere says nothing of where or whose
    errors = dict(batch.rows.values_list("line", "error"))
    assert errors[3] == "already in the file of members (same CIN)"
    assert errors[2].startswith("a record with this CIN may already exist outside your area")
    secrets = [meknes.first_name_ar, meknes.last_name_ar, meknes.first_name_latin]
    secrets += [meknes.last_name_latin, "Meknès", "مكناس", "03.061", str(meknes.pk)]
    report = invalid_lines_csv(batch)
    for secret in filter(None, secrets):
        assert secret not in errors[2]
    for secret in ["Meknès", "مكناس", "03.061"]:
        assert secret not in report

"""The import job: what it writes for each member, lines found known at import time, one job at a
time per file, counts, and rollback."""

import pytest
from django.urls import reverse
from django.utils import timezone

from abwab.people import imports
from abwab.people.import_lines import LineCleaner, read_lines
from abwab.people.imports import import_counts, import_rollback, import_upload
from abwab.people.models import (
    CardSequence,
    Consent,
    ImportBatch,
    ImportRow,
    Membership,
    MembershipChange,
    Person,
    RowStatus,
)
from abwab.people.services import person_create
from abwab.people.tests.test_imports import BAD, good, members_csv, run
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def checked(actors, capture, lines):
    batch = import_upload(
        actor=actors.taounate, territory=Territory.objects.get(code="03.531"), upload=lines
    )
    run("people.import_check", batch, actors.taounate, capture)
    return ImportBatch.objects.get(pk=batch.pk)


def test_each_member_gets_a_consent_a_card_and_a_first_status_change(
    actors, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year
    region = Territory.objects.get(code="03")
    before = CardSequence.objects.filter(region=region, year=year).values_list("last", flat=True)
    last = before.first() or 0
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(3))
    )
    job = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert job.result["imported"] == 3
    members = Membership.objects.filter(person__import_batch=batch).order_by("card_number")
    assert [m.card_number for m in members] == [f"03-{year}-{last + n:06d}" for n in (1, 2, 3)]
    assert CardSequence.objects.get(region=region, year=year).last == last + 3
    for member in members:
        assert member.status == "active" and member.joined_on == timezone.localdate()
        assert member.territory.code == "03.531.01.05" == member.person.territory.code
        consent = member.consent
        assert (consent.person_id, consent.purpose, consent.channel, consent.text_version) == (
            member.person_id,
            "membership",
            "import",
            "import",
        )
        assert consent.collected_by == actors.taounate == member.person.created_by
        assert list(member.changes.values_list("to_status", "reason", "by")) == [
            ("active", "Imported", actors.taounate.pk)
        ]
    person = Person.objects.get(cin="IM100001")
    assert (person.first_name_latin, person.last_name_ar, person.gender) == (
        "Prenom1",
        "العلوي",
        "F",
    )
    assert person.key_full != "" and person.key_last != ""


def test_a_cin_that_reached_the_database_after_the_check_is_not_imported(
    actors, django_capture_on_commit_callbacks
):
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(4))
    )
    person_create(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531.01.05"),
        first_name_latin="Meanwhile",
        cin="IM100002",
    )
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert set(Person.objects.filter(import_batch=batch).values_list("cin", flat=True)) == {
        "IM100000",
        "IM100001",
        "IM100003",
    }
    row = ImportRow.objects.get(batch=batch)
    assert (row.line, row.status, row.error) == (
        4,
        RowStatus.DUPLICATE,
        "already in the file of members (same CIN)",
    )
    assert import_counts(batch) == {"pending": 0, "imported": 3, "invalid": 0, "duplicate": 1}


def test_a_second_job_on_the_same_file_imports_nothing_twice(
    actors, django_capture_on_commit_callbacks
):
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(4))
    )
    stale = ImportBatch.objects.get(pk=batch.pk)  # what a second job read before the first went on
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    lines = [  # (line, raw, None): lines the chunk cleans itself
        (line, raw, None)
        for line, raw in read_lines(stale.file.path, stale.name, stale.columns, stale.mapping)
    ]
    with pytest.raises(RuntimeError, match="Another job is importing this file"):
        imports._import_chunk(
            type("Job", (), {"created_by": actors.taounate})(),
            stale,
            lines,
            LineCleaner(stale.territory),
        )
    assert Person.objects.filter(cin__startswith="IM").count() == 4
    assert Membership.objects.filter(person__cin__startswith="IM").count() == 4
    assert not ImportRow.objects.filter(batch=batch).exists()
    batch.refresh_from_db()
    assert (batch.imported, batch.imported_through) == (4, 5)


def test_counts_before_and_after_import_and_rollback(
    client, actors, django_capture_on_commit_callbacks
):
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=members_csv([good(i) for i in range(6)] + BAD + [good(0)]),
    )
    assert import_counts(batch) == {}
    run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert import_counts(batch) == {"pending": 6, "imported": 0, "invalid": 4, "duplicate": 1}
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert import_counts(batch) == {"pending": 0, "imported": 6, "invalid": 4, "duplicate": 1}
    client.force_login(actors.taounate)
    page = client.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert 'id="count-imported">6<' in page and 'id="count-pending">0<' in page

    assert import_rollback(actor=actors.taounate, batch=batch) == 6
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.imported_through) == ("rolled_back", 0, 0)
    assert import_counts(batch) == {"pending": 6, "imported": 0, "invalid": 4, "duplicate": 1}
    assert not Person.objects.filter(cin__startswith="IM").exists()
    assert not Consent.objects.filter(person__cin__startswith="IM").exists()
    assert not MembershipChange.objects.filter(membership__person__cin__startswith="IM").exists()

    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert import_counts(batch) == {"pending": 0, "imported": 6, "invalid": 4, "duplicate": 1}
    assert (
        Membership.objects.filter(person__import_batch=batch, consent__channel="import").count()
        == 6
    )

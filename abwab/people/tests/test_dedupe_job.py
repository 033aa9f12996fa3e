import datetime

import pytest
from django.urls import reverse

from abwab.core.jobs import job_start
from abwab.core.models import Job, JobStatus
from abwab.people.models import ClusterStatus, DuplicateCluster, Person
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
BIRTH = datetime.date(1980, 5, 1)


def make(first_ar="", last_ar="", first_latin="", last_latin="", **fields):
    return PersonFactory(
        first_name_ar=first_ar,
        last_name_ar=last_ar,
        first_name_latin=first_latin,
        last_name_latin=last_latin,
        **fields,
    )


@pytest.fixture
def file_of_taounate():
    meknes = Territory.objects.get(code="03.061.01.01")
    taounate_b = Territory.objects.get(code="03.531.01.01")
    people = {
        "mohamed_ar": make("محمد", "العلوي", birth_date=BIRTH),
        "mohamed_latin": make(first_latin="Mohammed", last_latin="El Alaoui", birth_date=BIRTH),
        "fatima": make("فاطمة", "بناني", phone="0661234567", birth_date=datetime.date(1990, 1, 1)),
        "fatma_same_cin": make(first_latin="Fatima", last_latin="Bennani", phone="+212661234567"),
        "youssef_1970": make("يوسف", "برادة", birth_date=datetime.date(1970, 2, 2)),
        "youssef_1995": make(
            "يوسف", "برادة", birth_date=datetime.date(1995, 3, 3), territory=taounate_b
        ),
        "out_of_scope": make(
            first_latin="Mohamed", last_latin="Alaoui", birth_date=BIRTH, territory=meknes
        ),
    }
    return people


def run_job(actor, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=actor, kind="people.dedupe", territory=Territory.objects.get(code=code)
        )
    job.refresh_from_db()
    return job


def test_job_finds_exactly_the_duplicates_of_its_territory(
    actors, file_of_taounate, django_capture_on_commit_callbacks
):
    p = file_of_taounate
    job = run_job(actors.taounate, "03.531", django_capture_on_commit_callbacks)
    assert (job.status, job.percent) == (JobStatus.DONE, 100)
    found = {
        frozenset(c.people.values_list("pk", flat=True))
        for c in DuplicateCluster.objects.filter(job=job)
    }
    assert found == {
        frozenset({p["mohamed_ar"].pk, p["mohamed_latin"].pk}),
        frozenset({p["fatima"].pk, p["fatma_same_cin"].pk}),
    }
    assert job.result["clusters"] == 2


def test_running_again_replaces_open_clusters(
    actors, file_of_taounate, django_capture_on_commit_callbacks
):
    run_job(actors.taounate, "03.531", django_capture_on_commit_callbacks)
    run_job(actors.taounate, "03.531", django_capture_on_commit_callbacks)
    assert (
        DuplicateCluster.objects.filter(territory__code="03.531", status=ClusterStatus.OPEN).count()
        == 2
    )


def test_start_page_and_review_merge_then_undo(
    client, actors, file_of_taounate, django_capture_on_commit_callbacks
):
    p = file_of_taounate
    client.force_login(actors.taounate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:clusters"), {"territory": "03.531"})
    job = Job.objects.get(territory__code="03.531")
    assert response.url == reverse("core:job", args=[job.pk])
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "100%" in page and reverse("people:clusters") in page
    cluster = DuplicateCluster.objects.get(people=p["fatima"])
    response = client.post(
        reverse("people:cluster", args=[cluster.pk]),
        {"action": "merge", "survivor": p["fatima"].pk},
    )
    assert response.url == reverse("people:detail", args=[p["fatima"].pk])
    assert Person.objects.get(pk=p["fatma_same_cin"].pk).merged_into_id == p["fatima"].pk
    merge = p["fatima"].merges_received.get()
    client.post(reverse("people:merge_undo", args=[merge.pk]))
    assert Person.objects.get(pk=p["fatma_same_cin"].pk).merged_into_id is None


def test_cannot_start_a_job_outside_the_scope_nor_review_as_auditor(
    client, actors, file_of_taounate, django_capture_on_commit_callbacks
):
    client.force_login(actors.taounate)
    assert client.post(reverse("people:clusters"), {"territory": "03.061"}).status_code == 404
    assert not Job.objects.filter(territory__code="03.061").exists()
    run_job(actors.taounate, "03.531", django_capture_on_commit_callbacks)
    cluster = DuplicateCluster.objects.filter(territory__code="03.531").first()
    client.force_login(actors.auditor)
    assert client.get(reverse("people:cluster", args=[cluster.pk])).status_code == 200
    response = client.post(reverse("people:cluster", args=[cluster.pk]), {"action": "dismiss"})
    assert response.status_code == 404
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.OPEN

"""Job pages name a job by its translated label, never by its kind code (`people.dedupe`)."""

import pytest
from django.urls import reverse
from django.utils import translation

from abwab.core.jobs import _HANDLERS, job_kind_label
from abwab.core.models import Job
from abwab.territory.models import Territory
from conftest import in_arabic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("people.dedupe", "Duplicate search"),
        ("people.import_check", "Import file check"),
        ("people.import_run", "Member import"),
        ("people.import_rollback", "Import rollback"),
    ],
)
def test_the_job_page_shows_the_kind_as_words(client, actors, kind, label):
    job = Job.objects.create(
        kind=kind, territory=Territory.objects.get(code="03.531"), created_by=actors.taounate
    )
    client.force_login(actors.taounate)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert kind not in page
    assert in_arabic(label) in page
    with translation.override("en"):  # the page's request left Arabic active
        assert str(job) == f"{label} #{job.pk}"


def test_every_registered_handler_has_a_label():
    assert _HANDLERS, "the apps register their handlers when they are ready"
    assert all(job_kind_label(kind) != "Background job" for kind in _HANDLERS)
    assert job_kind_label("tests.unknown") == "Background job"

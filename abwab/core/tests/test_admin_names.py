"""The admin names every app in the reader's language (not "TASKS DATABASE BACKEND")."""

import pytest
from django.apps import apps
from django.utils import translation

from conftest import in_arabic

pytestmark = pytest.mark.django_db


def test_the_admin_index_names_the_task_queue_in_words(client, actors):
    actors.admin.is_staff = actors.admin.is_superuser = True
    actors.admin.save()
    client.force_login(actors.admin)
    page = client.get("/admin/").content.decode()
    assert "django_tasks_database" in page  # the app is listed (its admin link)
    assert "Tasks Database Backend" not in page
    assert in_arabic("Background tasks") in page
    with translation.override("en"):  # the page's request left Arabic active
        assert apps.get_app_config("django_tasks_database").verbose_name == "Background tasks"

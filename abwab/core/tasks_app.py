"""django_tasks_db's app under a name the admin can translate: its own verbose name is the English
"Tasks Database Backend", which the admin index showed as "TASKS DATABASE BACKEND"."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")

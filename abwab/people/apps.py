from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "abwab.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from abwab.people import dedupe_job, imports, policies  # noqa: F401  (registers the job handler and policies)

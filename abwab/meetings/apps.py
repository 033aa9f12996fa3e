from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "abwab.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from abwab.meetings import policies  # noqa: F401  (registers the scope policies)

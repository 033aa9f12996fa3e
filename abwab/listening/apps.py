from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "abwab.listening"
    label = "listening"
    verbose_name = _("Citizen listening")

    def ready(self) -> None:
        from abwab.listening import policies  # noqa: F401  (registers the scope policies)

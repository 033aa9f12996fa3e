from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "abwab.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from abwab.core import policies  # noqa: F401  (registers the scope policies)

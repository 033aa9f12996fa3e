from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "abwab.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self) -> None:
        from abwab.territory import policies  # noqa: F401  (registers the scope policies)

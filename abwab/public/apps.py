from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "abwab.public"
    label = "public"
    verbose_name = _("Public open-doors site")

    def ready(self) -> None:
        from abwab.public import policies  # noqa: F401  (registers the scope policies)

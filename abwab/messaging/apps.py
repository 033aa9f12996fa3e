from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "abwab.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from abwab.messaging import (  # noqa: F401  (scope policies, the sending job's handler)
            engine,
            policies,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "abwab.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from abwab.core import policies  # noqa: F401  (registers the scope policies)
        from abwab.core.database import sqlite_files_private

        connection_created.connect(sqlite_files_private, dispatch_uid="abwab_sqlite_private")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "abwab.public"
    label = "public"
    verbose_name = _("Public open-doors site")

    def ready(self) -> None:
        from abwab.core.home import register_home_panel
        from abwab.public import policies  # noqa: F401  (registers the scope policies)
        from abwab.public.concerns import concern_accept
        from abwab.public.models import SubmissionKind
        from abwab.public.prereg import prereg_accept
        from abwab.public.submissions import moderation_panel, register

        register(SubmissionKind.CONCERN, concern_accept)
        register(SubmissionKind.PREREGISTRATION, prereg_accept)
        register_home_panel(
            "public_moderation",
            template="public/_home_moderation.html",
            context=moderation_panel,
            order=20,
        )

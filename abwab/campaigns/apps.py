from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "abwab.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from abwab.campaigns import policies  # noqa: F401  (registers the scope policies)
        from abwab.campaigns.models import VisitTally
        from abwab.campaigns.tallies import visit_counts_differences, visit_counts_rebuild
        from abwab.people.tallies import register_recount

        # The visitor counts are rebuilt and checked with the member counts (recount_members).
        register_recount(
            tables=(VisitTally._meta.db_table,),
            rebuild=visit_counts_rebuild,
            differences=visit_counts_differences,
        )

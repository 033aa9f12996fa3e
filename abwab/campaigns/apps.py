from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "abwab.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from abwab.campaigns import policies  # noqa: F401  (registers the scope policies)
        from abwab.campaigns.models import VisitTally
        from abwab.campaigns.privacy import person_visits, visitors_purge, visits_erase
        from abwab.campaigns.selectors import home_open_events
        from abwab.campaigns.tallies import visit_counts_differences, visit_counts_rebuild
        from abwab.core.home import register_home_panel
        from abwab.people.privacy import register_personal_data
        from abwab.people.tallies import register_recount

        register_home_panel(
            "open_events",
            template="campaigns/_home_open_events.html",
            context=home_open_events,
            order=10,
        )
        # A person's visits are theirs to see, erased with them, purged with other visitors.
        register_personal_data(
            "visits", export=person_visits, erase=visits_erase, purge=visitors_purge
        )
        # The visitor counts are rebuilt and checked with the member counts (recount_members).
        register_recount(
            tables=(VisitTally._meta.db_table,),
            rebuild=visit_counts_rebuild,
            differences=visit_counts_differences,
        )

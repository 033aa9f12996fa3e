from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How pages name the background jobs this app runs (never by their kind, `people.dedupe`).
JOB_KINDS = {
    "people.dedupe": _("Duplicate search"),
    "people.import_check": _("Import file check"),
    "people.import_run": _("Member import"),
    "people.import_rollback": _("Import rollback"),
    "people.cards": _("Membership cards"),
}


class PeopleConfig(AppConfig):
    name = "abwab.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from abwab.core.jobs import job_kind_register
        from abwab.people import cards_job, dedupe_job, imports, policies  # noqa: F401  (registers the job handler and policies)

        # Office holders' pages offered to the territory's pages (abwab.territory.links).
        from abwab.people.officials import links  # noqa: F401

        for kind, label in JOB_KINDS.items():
            job_kind_register(kind, label)

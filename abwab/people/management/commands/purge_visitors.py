"""`abwab purge_visitors`: anonymise visitors who did not join, past the retention period (law 09-08)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from abwab.people.privacy import purge_visitors


class Command(BaseCommand):
    help = "Anonymise visitors who did not join once VISITOR_RETENTION_DAYS have passed (run it daily)."

    def handle(self, *args, **options):
        cleared, persons = purge_visitors()
        self.stdout.write(
            f"{cleared} check-ins cleared, {persons} persons anonymised (retention {settings.VISITOR_RETENTION_DAYS} days)."
        )

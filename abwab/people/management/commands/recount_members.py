"""`abwab recount_members`: rebuild the dashboard's member counts from the memberships.

The services keep the counts exact; this is for a database loaded with raw SQL or restored from an
older dump. `--check` changes nothing and exits with status 1 when a count differs."""

from django.core.management.base import BaseCommand, CommandError

from abwab.people.tallies import member_counts_differences, member_counts_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's member counts (--check: only compare them with the memberships)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only, change nothing")

    def handle(self, *args, check: bool = False, **options):
        if check:
            differences = member_counts_differences()
            for key, kept, actual in differences[:20]:
                self.stdout.write(f"{key}: kept {kept}, counted {actual}")
            if differences:
                raise CommandError(f"{len(differences)} counts differ: run abwab recount_members")
            self.stdout.write("The member counts are exact.")
            return
        self.stdout.write(f"{member_counts_rebuild()} members counted.")

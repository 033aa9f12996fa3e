"""`abwab territory load [--from-csv DIR]` and `abwab territory show CODE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from abwab.territory import sources
from abwab.territory.models import Level, Territory
from abwab.territory.services import territory_load


class Command(BaseCommand):
    help = "Load Morocco's territory (HCP codes) or show a node."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or update the whole tree, in one transaction")
        load.add_argument(
            "--from-csv", type=Path, help="a folder of CSV files laid out like shared/data"
        )
        show = sub.add_parser("show", help="show one node by HCP code")
        show.add_argument("code")

    def handle(self, *args, action, **options):
        if action == "show":
            node = Territory.objects.filter(code=options["code"]).first()
            if node is None:
                raise CommandError(
                    _("Unknown territory code: %(code)s") % {"code": options["code"]}
                )
            self.stdout.write(
                f"{node.code}\t{node.get_kind_display()}\t{node.name_ar}\t{node.name_fr}"
            )
            for child in node.children.all():
                self.stdout.write(f"  {child.code}\t{child.name_ar}\t{child.name_fr}")
            return
        try:
            folder = options.get("from_csv")
            rows = sources.from_csv_dir(folder) if folder else sources.from_package()
            result = territory_load(rows=rows)
        except sources.TerritoryDataError as error:
            raise CommandError(
                _("Territory data rejected, nothing was loaded:")
                + "\n  "
                + "\n  ".join(error.errors)
            ) from error
        counts = {level.label: Territory.objects.filter(level=level).count() for level in Level}
        self.stdout.write(
            _("Territory: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
        self.stdout.write(", ".join(f"{label}: {count}" for label, count in counts.items()))

"""`abwab restore FILE [--force] [--check]`: put a backup back, after checking it fits."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from abwab.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore a file written by `abwab backup` into the configured database, replacing "
        "everything in it. Refuses a file of the other engine, from a newer version or damaged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the file; change nothing"
        )

    def handle(self, *args, file, force=False, check=False, verbosity=1, **options):
        try:
            if check:
                manifest = backup_verify(path=file)
            else:
                result = backup_restore(path=file, force=force)
                manifest = result.manifest
        except BackupError as error:
            raise CommandError(str(error)) from error
        facts = {
            "file": file.name,
            "created_at": manifest["created_at"],
            "rows": sum(manifest["tables"].values()),
            "tables": len(manifest["tables"]),
        }
        if check:
            self.stdout.write(
                _(
                    "%(file)s is whole and fits this database: backup of %(created_at)s, "
                    "%(rows)d rows in %(tables)d tables."
                )
                % facts
            )
            return
        if result.mismatched:
            raise CommandError(
                _("Restored, but these tables do not hold the rows the backup counted: %(tables)s")
                % {
                    "tables": ", ".join(
                        f"{table} ({expected} ≠ {found})"
                        for table, (expected, found) in result.mismatched.items()
                    )
                }
            )
        if verbosity:
            self.stdout.write(
                _(
                    "Restored %(file)s (backup of %(created_at)s): %(rows)d rows in %(tables)d tables."
                )
                % facts
            )
            if result.migrated:
                self.stdout.write(
                    ngettext(
                        "The backup predates this version: %(count)d migration was applied.",
                        "The backup predates this version: %(count)d migrations were applied.",
                        len(result.migrated),
                    )
                    % {"count": len(result.migrated)}
                )

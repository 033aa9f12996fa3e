"""`abwab backup [-o PATH]`: one file holding the whole database, safe to run while the site is up."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from abwab.core.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite or PostgreSQL) into one file readable by its owner only, "
        "by default var/backups/abwab-YYYYmmdd-HHMMSS.<engine>.tar."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="a folder, or the name of a new file")
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="then delete all but the N newest backups of this folder",
        )

    def handle(self, *args, output=None, keep=None, verbosity=1, **options):
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1."))
        try:
            backup = backup_create(destination=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        deleted = backup_prune(folder=backup.path.parent, keep=keep) if keep else []
        if verbosity:
            manifest = backup.manifest
            self.stdout.write(
                _("Backup written: %(path)s (%(size)s, %(rows)d rows in %(tables)d tables).")
                % {
                    "path": backup.path,
                    "size": filesizeformat(manifest["size"]),
                    "rows": sum(manifest["tables"].values()),
                    "tables": len(manifest["tables"]),
                }
            )
            self.stdout.write(f"sha256 {manifest['sha256']}")
            for path in deleted:
                self.stdout.write(_("Older backup deleted: %(path)s") % {"path": path})

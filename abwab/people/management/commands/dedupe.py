"""`abwab dedupe INPUT.csv -o OUTPUT.csv [--threshold W]`: cluster the duplicates of a people file."""

import csv
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from abwab.people import dedupe_file


class Command(BaseCommand):
    help = (
        "Find the rows of a people CSV (id, first_name, last_name, birth_date, cin, phone, "
        "commune_code) that are the same person; write id,cluster_id for every row."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "input_path", metavar="INPUT", type=Path, help="the CSV file to deduplicate (UTF-8)"
        )
        parser.add_argument(
            "-o",
            "--output",
            dest="output_path",
            type=Path,
            required=True,
            help="where to write id,cluster_id",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="match weight (sum of log2 likelihood ratios) from which two rows are the same "
            "person; lower finds more, higher is surer (default: log2(rows) - 1.5, at least "
            f"{dedupe_file.MIN_THRESHOLD:g})",
        )

        parser.add_argument(
            "--jobs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes scoring pairs at once (default: 2 when the machine has 2 cores)",
        )

    def handle(self, *args, input_path, output_path, threshold, jobs, verbosity=1, **options):
        if not input_path.is_file():
            raise CommandError(_("Input file not found: %(path)s") % {"path": input_path})
        if not output_path.parent.is_dir():
            raise CommandError(
                _("The output folder does not exist: %(path)s") % {"path": output_path.parent}
            )
        progress = (lambda line: self.stderr.write(line)) if verbosity >= 2 else None
        started = time.perf_counter()
        try:
            stats = dedupe_file.dedupe_file(
                input_path, output_path, threshold=threshold, progress=progress, jobs=jobs
            )
        except dedupe_file.MissingColumnsError as error:
            raise CommandError(
                _(
                    "The input file lacks the required columns: %(columns)s (expected: %(expected)s)."
                )
                % {
                    "columns": ", ".join(error.missing),
                    "expected": ", ".join(dedupe_file.REQUIRED_COLUMNS),
                }
            ) from error
        except (dedupe_file.EncodingError, UnicodeDecodeError) as error:
            line = getattr(error, "line", 1)
            raise CommandError(
                _(
                    "The input file is not UTF-8 text (near line %(line)d): save it as "
                    "CSV UTF-8 and try again."
                )
                % {"line": line}
            ) from error
        except csv.Error as error:
            raise CommandError(
                _("The input file is not a readable CSV: %(error)s") % {"error": error}
            ) from error
        except OSError as error:
            raise CommandError(
                _("Cannot read or write a file: %(error)s") % {"error": error}
            ) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            _("%(rows)d rows, %(clusters)d clusters, %(seconds).1f s → %(output)s")
            % {
                "rows": stats.rows,
                "clusters": stats.clusters,
                "seconds": seconds,
                "output": output_path,
            }
        )

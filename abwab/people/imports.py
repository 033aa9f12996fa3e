"""Bringing an existing member list (CSV or XLSX) into Abwab.

1. `import_upload` checks the file and reads its header, then stores it and guesses which column
   is which; a refused file is never stored.
2. The "people.import_check" job reads every line, validates it and looks for duplicates in the file
   and in the database. A line that will not be imported becomes an ImportRow with its error
   (invalid, or already known), to be shown and downloaded; the batch counts its lines. The
   cleaned values of the other lines are kept beside the file (`import_lines.CheckedWriter`).
3. The "people.import_run" job reads those cleaned values (or, without them, the file again, and
   cleans it) and imports the lines still to import, CHUNK at a
   time, each chunk in one transaction: persons, their import consent, membership with a card
   number and its first status change (`abwab.people.import_write`), and the chunk's last line,
   recorded on the batch. A line whose commune is gone since the check is refused then. Killed half-way, it resumes after the last whole chunk when started again;
   a line is never imported twice. A line whose CIN reached the database since the check is marked
   already known then. On SQLite, whose one writer at a time is the import while a chunk is
   written, chunks are small and the import pauses between them, so the site keeps answering.
4. `import_rollback` (the "people.import_rollback" job) removes what an import created,
   a chunk of persons per transaction: any size, short locks, resumable.

Cleaning (`abwab.people.import_lines`) gives the validators' values and errors without their cost.
"""

import csv
import datetime
import io
import itertools
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils import translation
from django.utils.translation import gettext as _

from abwab.core.jobs import job_handler, job_progress
from abwab.core.models import Job
from abwab.core.spreadsheets import spreadsheet_row
from abwab.core.uploads import check_upload
from abwab.people.import_lines import (
    CONTROL,
    FIELD_LABELS,
    FIELDS,
    MAX_KEPT,
    CheckedWriter,
    LineCleaner,
    checked_raw,
    guess_field,
    read_checked,
    read_header,
    read_lines,
)
from abwab.people.import_write import members_import
from abwab.people.models import (
    Consent,
    ImportBatch,
    ImportRow,
    ImportStatus,
    Membership,
    MembershipChange,
    Person,
    RowStatus,
)
from abwab.people.tallies import member_counts_subtract
from abwab.territory.models import Level, Territory

__all__ = [
    "FIELDS",
    "import_counts",
    "import_rollback",
    "import_template",
    "import_upload",
    "invalid_lines_csv",
]
# Lines imported per transaction: big, because each chunk's fixed costs (card number sequences,
# the dashboard counts' upserts, which grow with the distinct communes and birth years in it)
# are shared by more lines; an interrupted import redoes at most one chunk.
CHUNK = 50_000
# On SQLite a chunk's transaction holds the database's only write lock: every other write (a login,
# a sign-up at the door) waits for it, up to the busy timeout. A thousand lines commit in a few
# tenths of a second; after each chunk the import pauses longer than SQLite's longest busy retry
# interval (100 ms), so a waiting writer gets its turn instead of losing every race to the import.
SQLITE_CHUNK = 1000
SQLITE_PAUSE = 0.15
# Persons removed per transaction by a rollback. On SQLite, Django's deletion of a chunk then
# stays within the 999 variables it assumes there (a whole import at once passed the real limit),
# and the lock is held for a fraction of a second.
ROLLBACK_CHUNK = 5000
SQLITE_ROLLBACK_CHUNK = 500
PAGE = 2000  # CINs looked up in the database per query
# One index probe per CIN whatever the statistics say (a LATERAL subquery with LIMIT cannot become
# a hash join over every person, which stale statistics during a big import would choose).
KNOWN_CINS = (
    "SELECT y.cin, y.path FROM unnest(%s::varchar[]) AS x(cin), "
    "LATERAL (SELECT p.cin, t.path FROM people_person p "
    "JOIN territory_territory t ON t.id = p.territory_id WHERE p.cin = x.cin LIMIT 1) AS y"
)


def import_upload(*, actor, territory: Territory, upload) -> ImportBatch:
    """Keep an uploaded member list and guess its column mapping. A file refused (size, kind,
    content, unreadable) is refused before it is stored: it leaves nothing behind."""
    check_upload(upload, allowed=("csv", "xlsx"), limit=settings.IMPORT_MAX_BYTES)
    columns = read_header(upload)
    batch = ImportBatch(
        territory=territory,
        file=upload,
        name=CONTROL.sub("\ufffd", upload.name)[:200],
        created_by=actor,
        columns=columns,
        mapping={column: guess for column in columns if (guess := guess_field(column))},
    )
    try:
        with transaction.atomic():
            batch.save()
    except BaseException:
        if batch.file.name and batch.file.name != upload.name:  # stored, then the row failed
            batch.file.storage.delete(batch.file.name)
        raise
    return batch


@job_handler("people.import_check")
def import_check(job: Job) -> dict:
    """Read and check every line of the file; duplicates in the file and in the database are marked."""
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    batch.rows.all().delete()
    cleaner = LineCleaner(batch.territory)
    checked = CheckedWriter(batch.file.path)
    try:
        counts, lines = _check_lines(job, batch, cleaner, checked)
    except BaseException:
        checked.discard()
        raise
    checked.close()
    counts[RowStatus.PENDING] = lines - counts[RowStatus.INVALID] - counts[RowStatus.DUPLICATE]
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKED, lines=lines)
    return {
        "batch": batch.pk,
        **counts,
        "link": f"/people/imports/{batch.pk}/",
        "link_label": _("See the check"),
    }


def _check_lines(job: Job, batch: ImportBatch, cleaner: LineCleaner, checked: CheckedWriter):
    """The check itself: (counts by status, lines read); lines passed are written to `checked`."""
    seen_cin, seen_phone = set(), set()
    rows, page, counts = [], [], dict.fromkeys(RowStatus.values, 0)
    lines = 0
    for line, raw in read_lines(batch.file.path, batch.name, batch.columns, batch.mapping):
        lines += 1
        try:
            clean = cleaner.clean(raw)
        except ValidationError as error:
            rows.append(_row(batch, line, raw, RowStatus.INVALID, " ".join(error.messages)))
        else:
            cin, phone = clean["cin"], clean["phone"]
            if (cin and cin in seen_cin) or (phone and phone in seen_phone):
                error = _("same CIN or phone as an earlier line")
                rows.append(_row(batch, line, raw, RowStatus.DUPLICATE, error))
            else:
                checked.add(line, clean, raw.get("commune_code", ""))
                if cin:
                    page.append((line, raw, cin))
            seen_cin.add(cin)
            seen_phone.add(phone)
        if len(page) == PAGE:
            rows += _known(batch, page)
            page = []
        if len(rows) >= PAGE:
            _flush(rows, counts)
        if lines % 20_000 == 0:
            job_progress(job, done=lines, message=_("%(count)d lines checked") % {"count": lines})
    rows += _known(batch, page)
    _flush(rows, counts)
    return counts, lines


def _row(batch: ImportBatch, line: int, raw: dict, status: str, error: str) -> ImportRow:
    """A line left out, kept for the error list: long values cut, control characters replaced."""
    if status == RowStatus.INVALID:
        raw = {field: CONTROL.sub("\ufffd", value[:MAX_KEPT]) for field, value in raw.items()}
    return ImportRow(
        batch=batch, line=line, data=raw, status=status, error=CONTROL.sub("\ufffd", error)[:500]
    )


def _flush(rows: list, counts: dict) -> None:
    ImportRow.objects.bulk_create(rows, batch_size=PAGE)
    for row in rows:
        counts[row.status] += 1
    rows.clear()


def _known(batch: ImportBatch, page: list) -> list[ImportRow]:
    """Lines (line, raw, CIN[, cleaned values]) whose CIN is already in the database: known people, never imported
    twice. One query for the page. A CIN held by someone outside the import's territory is
    reported as the door reports it: that a record may exist elsewhere, never where or whose."""
    cins = list({entry[2] for entry in page})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(KNOWN_CINS, [cins])
            known = dict(cursor.fetchall())
    else:
        known = dict(Person.objects.filter(cin__in=cins).values_list("cin", "territory__path"))
    paths = tuple(batch.territory.covered_paths())
    here = _("already in the file of members (same CIN)")
    elsewhere = _(
        "a record with this CIN may already exist outside your area: this line is not imported; "
        "the secretariat that covers both will review it"
    )
    return [
        _row(
            batch,
            line,
            checked_raw(clean[0]) if raw is None else raw,  # a line cleaned by the check
            RowStatus.DUPLICATE,
            here if known[cin].startswith(paths) else elsewhere,
        )
        for line, raw, cin, *clean in page
        if cin in known
    ]


@job_handler("people.import_run")
def import_run(job: Job) -> dict:
    """Import the lines still to import, CHUNK per transaction; resumable after any interruption."""
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    cleaner = LineCleaner(batch.territory)
    skipped = set(batch.rows.values_list("line", flat=True))
    total = max(batch.lines - len(skipped) - batch.imported, 0)
    source = read_checked(batch.file.path)  # (line, raw, clean): cleaned by the check
    if source is None:  # checked before its values were kept: cleaned here
        source = (
            (line, raw, None)
            for line, raw in read_lines(batch.file.path, batch.name, batch.columns, batch.mapping)
        )
    lines = (
        entry for entry in source if entry[0] > batch.imported_through and entry[0] not in skipped
    )
    done, pause = 0, False
    sqlite = connection.vendor == "sqlite"
    size = min(CHUNK, SQLITE_CHUNK) if sqlite else CHUNK
    while chunk := list(itertools.islice(lines, size)):
        if pause:
            time.sleep(SQLITE_PAUSE)  # between two chunks: the other writers' turn
        pause = sqlite
        done += _import_chunk(job, batch, chunk, cleaner)
        batch.imported_through = chunk[-1][0]
        job_progress(
            job, done=done, total=total, message=_("%(count)d members imported") % {"count": done}
        )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE)
    return {
        "batch": batch.pk,
        "imported": done,
        "link": f"/people/imports/{batch.pk}/",
        "link_label": _("See the import"),
    }


def _import_chunk(job: Job, batch: ImportBatch, chunk: list, cleaner: LineCleaner) -> int:
    """Import lines (line, raw, cleaned values or None), all or none, and record the last one;
    returns how many went in. Lines not cleaned by the check are cleaned before the transaction
    begins: no lock is held for that."""
    people, rows = [], []
    for line, raw, clean in chunk:
        if clean is None:
            try:
                clean = cleaner.clean(raw)
            except ValidationError as error:  # e.g. its commune was removed since the check
                rows.append(_row(batch, line, raw, RowStatus.INVALID, " ".join(error.messages)))
                continue
        elif clean["territory_id"] not in cleaner.region_of:  # its commune removed since
            error = _("commune %(code)s is unknown or outside %(territory)s") % {
                "code": clean["commune_code"],
                "territory": batch.territory,
            }
            rows.append(_row(batch, line, checked_raw(clean), RowStatus.INVALID, error))
            continue
        people.append((line, raw, clean))
    return _write_chunk(job, batch, chunk[-1][0], people, rows, cleaner)


@transaction.atomic
def _write_chunk(
    job: Job, batch: ImportBatch, last: int, people: list, rows: list, cleaner: LineCleaner
) -> int:
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, imported_through=batch.imported_through
    ).update(imported_through=last)  # also locks the batch until the chunk commits
    if not claimed:
        raise RuntimeError(_("Another job is importing this file."))
    if connection.vendor == "postgresql":
        # Every read in a chunk goes to a few thousand rows by key (known CINs, the memberships
        # just written, for the dashboard's counts). During a big import the statistics lag far
        # behind the tables, and the planner would scan every person and membership per chunk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    page = [(line, raw, clean["cin"], clean) for line, raw, clean in people if clean["cin"]]
    for start in range(0, len(page), PAGE):
        rows += _known(batch, page[start : start + PAGE])
    left_out = {row.line for row in rows}
    people = [clean for line, _raw, clean in people if line not in left_out]
    ImportRow.objects.bulk_create(rows, batch_size=PAGE)
    members_import(
        actor=job.created_by,
        batch=batch,
        people=people,
        region_of=cleaner.region_of,
        path_of=cleaner.path_of,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(imported=F("imported") + len(people))
    return len(people)


@job_handler("people.import_rollback")
def import_rollback_job(job: Job) -> dict:
    """The rollback as a background job: a big import takes longer to remove than a request."""
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    count = import_rollback(actor=job.created_by, batch=batch)
    return {
        "batch": batch.pk,
        "removed": count,
        "link": f"/people/imports/{batch.pk}/",
        "link_label": _("See the import"),
    }


def import_rollback(*, actor, batch: ImportBatch) -> int:
    """Remove the persons, consents and memberships an import created; its lines can be imported
    again. A chunk of persons per transaction, found by the batch, never listed whole: any size
    works, and an interrupted rollback goes on where it stopped when started again."""
    removed = 0
    while count := _rollback_chunk(batch):
        removed += count
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.ROLLED_BACK, imported=0, imported_through=0
    )
    return removed


@transaction.atomic
def _rollback_chunk(batch: ImportBatch) -> int:
    """Remove the import's next chunk of persons (with what they carry) and their counts."""
    size = (
        min(ROLLBACK_CHUNK, SQLITE_ROLLBACK_CHUNK)
        if connection.vendor == "sqlite"
        else ROLLBACK_CHUNK
    )
    ids = list(
        Person.objects.filter(import_batch=batch).order_by("pk").values_list("pk", flat=True)[:size]
    )
    if not ids:
        return 0
    member_counts_subtract(memberships=Membership.objects.filter(person_id__in=ids))
    MembershipChange.objects.filter(membership__person_id__in=ids).delete()
    Membership.objects.filter(person_id__in=ids).delete()
    Consent.objects.filter(person_id__in=ids).delete()
    Person.objects.filter(pk__in=ids).delete()
    ImportBatch.objects.filter(pk=batch.pk).update(
        imported=Greatest(F("imported") - len(ids), Value(0))
    )
    return len(ids)


def import_counts(batch: ImportBatch) -> dict[str, int]:
    """How many lines of a checked file are to import, imported, invalid or already known."""
    if batch.status == ImportStatus.UPLOADED:
        return {}
    counts = dict.fromkeys(RowStatus.values, 0)
    counts.update(batch.rows.order_by().values_list("status").annotate(n=Count("pk")))
    counts[RowStatus.IMPORTED] = batch.imported
    counts[RowStatus.PENDING] = max(
        batch.lines - batch.imported - counts[RowStatus.INVALID] - counts[RowStatus.DUPLICATE], 0
    )
    return counts


def invalid_lines_csv(batch: ImportBatch) -> str:
    """The lines that were not imported, as CSV, each with its error (to fix and upload again).
    The values are the uploaded ones, so none may run as a formula (see abwab.core.spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spreadsheet_row([_("line"), _("status"), _("error"), *batch.columns]))
    for row in batch.rows.exclude(status__in=[RowStatus.IMPORTED, RowStatus.PENDING]).iterator():
        writer.writerow(
            spreadsheet_row(
                [
                    row.line,
                    row.get_status_display(),
                    row.error,
                    *(row.data.get(batch.mapping.get(c, ""), "") for c in batch.columns),
                ]
            )
        )
    return "\ufeff" + out.getvalue()


TEMPLATE_KINDS = ("csv", "xlsx")


def import_template(*, territory: Territory, kind: str) -> bytes:
    """An empty member list to fill in: the fields' labels as headers, in the active language
    (recognised again on upload), and one example line of invented data whose commune is one of
    `territory`'s, named as users name it."""
    example = {
        "first_name_ar": "فاطمة",
        "last_name_ar": "العلوي",
        "first_name_latin": "Fatima",
        "last_name_latin": "Alaoui",
        "gender": "F",
        "birth_date": datetime.date(1990, 1, 15),
        "cin": "AB123456",
        "phone": "0612345678",
        "email": "fatima.alaoui@example.org",
        "commune_code": _example_commune(territory),
        "joined_on": datetime.date(2025, 1, 15),
    }
    header = [str(FIELD_LABELS[field]) for field in FIELDS]
    if kind == "xlsx":
        import xlsxwriter

        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = workbook.add_worksheet()
        if translation.get_language_bidi():
            sheet.right_to_left()
        day = workbook.add_format({"num_format": "dd/mm/yyyy"})
        bold = workbook.add_format({"bold": True})
        for column, (label, field) in enumerate(zip(header, FIELDS, strict=True)):
            sheet.write_string(0, column, label, bold)
            value = example[field]
            if isinstance(value, datetime.date):
                sheet.write_datetime(
                    1, column, datetime.datetime.combine(value, datetime.time()), day
                )
            else:
                sheet.write_string(1, column, value)
            sheet.set_column(column, column, max(14, len(label) + 2))
        workbook.close()
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerow(
        [
            v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v
            for v in (example[field] for field in FIELDS)
        ]
    )
    return ("\ufeff" + text.getvalue()).encode("utf-8")  # the mark tells spreadsheets it is UTF-8


def _example_commune(territory: Territory) -> str:
    """The name of a commune of the territory (the territory itself below a province) that no
    other commune bears, so that the example line is valid as it stands."""
    if territory.level >= Level.COMMUNE:
        candidates = [territory]
    else:
        candidates = Territory.objects.filter(
            path__startswith=territory.path, level=Level.COMMUNE
        ).order_by("code")[:20]
    for commune in candidates:
        namesakes = Territory.objects.filter(
            Q(name_fr=commune.name_fr) | Q(name_ar=commune.name_ar), level__gte=Level.COMMUNE
        )
        if not namesakes.exclude(pk=commune.pk).exists():
            return commune.name
    return candidates[0].code if candidates else ""

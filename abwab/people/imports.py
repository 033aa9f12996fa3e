"""Bringing an existing member list (CSV or XLSX) into Abwab.

1. `import_upload` stores the file (checked), reads its header and guesses which column is which.
2. The "people.import_check" job reads every line, validates it and looks for duplicates in the file
   and in the database; each line becomes an ImportRow: to import, invalid (with its error), or
   already known. Invalid lines can be downloaded with their error.
3. The "people.import_run" job imports the lines still to import, 500 at a time, each batch in one
   transaction: persons, their import consent and membership with a card number. Killed half-way,
   it resumes where it stopped when started again; lines already imported are never imported twice.
4. `import_rollback` removes what an import created.
"""

import csv
import datetime
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.jobs import job_handler, job_progress
from abwab.core.models import Job
from abwab.core.uploads import check_upload
from abwab.people.keys import person_keys
from abwab.people.models import (
    CardSequence,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    ImportBatch,
    ImportRow,
    ImportStatus,
    Membership,
    MembershipChange,
    MembershipStatus,
    Person,
    RowStatus,
)
from abwab.people.validation import clean_cin, clean_phone
from abwab.reports.services import member_counts_add, member_counts_subtract
from abwab.territory.models import Level, Territory

FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "gender",
    "birth_date",
    "cin",
    "phone",
    "email",
    "commune_code",
    "joined_on",
)
ALIASES = {
    "first_name_ar": {"الاسم", "الاسم الشخصي", "prenom_ar", "first_name_ar"},
    "last_name_ar": {"النسب", "الاسم العائلي", "nom_ar", "last_name_ar"},
    "first_name_latin": {"prenom", "prénom", "first_name", "firstname", "first_name_latin"},
    "last_name_latin": {"nom", "last_name", "lastname", "surname", "last_name_latin"},
    "gender": {"sexe", "genre", "gender", "الجنس"},
    "birth_date": {
        "date_naissance",
        "date de naissance",
        "naissance",
        "birth_date",
        "تاريخ الازدياد",
    },
    "cin": {"cin", "cnie", "رقم البطاقة الوطنية"},
    "phone": {"telephone", "téléphone", "tel", "phone", "gsm", "الهاتف"},
    "email": {"email", "e-mail", "courriel", "البريد الإلكتروني"},
    "commune_code": {"commune", "code_commune", "commune_code", "الجماعة"},
    "joined_on": {"date_adhesion", "adhésion", "joined_on", "تاريخ الانخراط"},
}
CHUNK = 500
CONSENT_VERSION = "import"


def _guess(header: str) -> str:
    key = header.strip().lower()
    return next((field for field, names in ALIASES.items() if key in names), "")


def read_table(path: str, name: str):
    """Yield the file's rows as lists of strings, the header first (CSV in UTF-8, or XLSX)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        for row in workbook.active.iter_rows(values_only=True):
            yield [
                ""
                if v is None
                else (v.date().isoformat() if isinstance(v, datetime.datetime) else str(v))
                for v in row
            ]
        workbook.close()
        return
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv.reader(handle)


@transaction.atomic
def import_upload(*, actor, territory: Territory, upload) -> ImportBatch:
    """Keep an uploaded member list and guess its column mapping."""
    check_upload(upload, allowed=("csv", "xlsx"), limit=settings.IMPORT_MAX_BYTES)
    batch = ImportBatch.objects.create(
        territory=territory, file=upload, name=upload.name[:200], created_by=actor
    )
    try:
        header = next(iter(read_table(batch.file.path, batch.name)))
    except (StopIteration, UnicodeDecodeError, csv.Error, OSError, ValueError) as error:
        raise ValidationError(
            _("The file cannot be read as a table with a header line."), code="unreadable"
        ) from error
    batch.columns = [str(h) for h in header]
    batch.mapping = {column: guess for column in batch.columns if (guess := _guess(column))}
    batch.save(update_fields=["columns", "mapping"])
    return batch


def _date(value: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValidationError(_("unreadable date %(value)r") % {"value": value})


def clean_line(raw: dict, *, territory: Territory, communes: dict[str, Territory]) -> dict:
    """A line's values, cleaned; raises ValidationError listing what is wrong with it."""
    errors, data = [], {}
    for field in ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin", "email"):
        data[field] = " ".join((raw.get(field) or "").split())
    if not any(
        data[f] for f in ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")
    ):
        errors.append(_("no name"))
    gender = (raw.get("gender") or "").strip().upper()[:1]
    data["gender"] = {"F": "F", "M": "M", "H": "M", "ذ": "M", "أ": "F"}.get(gender, "")
    for field, cleaner in (
        ("cin", clean_cin),
        ("phone", clean_phone),
        ("birth_date", _date),
        ("joined_on", _date),
    ):
        try:
            data[field] = cleaner(raw.get(field) or "")
        except ValidationError as error:
            errors.append(f"{field}: {' '.join(error.messages)}")
    code = (raw.get("commune_code") or "").strip()
    commune = communes.get(code) if code else None
    if code and commune is None:
        errors.append(
            _("commune %(code)s is unknown or outside %(territory)s")
            % {"code": code, "territory": territory}
        )
    data["territory_id"] = commune.pk if commune else None
    if data["territory_id"] is None and territory.level >= Level.COMMUNE:
        data["territory_id"] = territory.pk
    elif data["territory_id"] is None and not errors:
        errors.append(_("no commune"))
    if errors:
        raise ValidationError("; ".join(str(e) for e in errors))
    return data


@job_handler("people.import_check")
def import_check(job: Job) -> dict:
    """Read and check every line of the file; duplicates in the file and in the database are marked."""
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    batch.rows.all().delete()
    communes = {
        t.code: t
        for t in Territory.objects.filter(
            path__startswith=batch.territory.path, level__gte=Level.COMMUNE
        )
    }
    columns = {index: batch.mapping.get(name) for index, name in enumerate(batch.columns)}
    seen_cin, seen_phone = set(), set()
    buffer, counts = [], dict.fromkeys(RowStatus.values, 0)
    rows = read_table(batch.file.path, batch.name)
    next(rows)
    for line, values in enumerate(rows, start=2):
        raw = {columns[i]: str(v) for i, v in enumerate(values) if columns.get(i)}
        row = ImportRow(batch=batch, line=line, data=raw)
        try:
            clean = clean_line(raw, territory=batch.territory, communes=communes)
        except ValidationError as error:
            row.status, row.error = RowStatus.INVALID, " ".join(error.messages)[:500]
        else:
            if (clean["cin"] and clean["cin"] in seen_cin) or (
                clean["phone"] and clean["phone"] in seen_phone
            ):
                row.status, row.error = (
                    RowStatus.DUPLICATE,
                    _("same CIN or phone as an earlier line"),
                )
            seen_cin.add(clean["cin"])
            seen_phone.add(clean["phone"])
        counts[row.status] += 1
        buffer.append(row)
        if len(buffer) == 2000:
            _flush(buffer)
            job_progress(
                job, done=line - 1, message=_("%(count)d lines checked") % {"count": line - 1}
            )
    _flush(buffer)
    known = _mark_known(batch)
    counts[RowStatus.DUPLICATE] += known
    counts[RowStatus.PENDING] -= known
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKED)
    return {
        "batch": batch.pk,
        **counts,
        "link": f"/people/imports/{batch.pk}/",
        "link_label": _("See the check"),
    }


def _flush(buffer: list) -> None:
    ImportRow.objects.bulk_create(buffer, batch_size=2000)
    buffer.clear()


def _mark_known(batch: ImportBatch) -> int:
    """Lines whose CIN is already in the database are known people: never imported twice."""
    marked = 0
    pending = (
        batch.rows.filter(status=RowStatus.PENDING).exclude(data__cin="").values_list("pk", "data")
    )
    page: list = []
    for pk, data in pending.iterator(chunk_size=2000):
        page.append((pk, _safe_cin(data.get("cin"))))
        if len(page) == 2000:
            marked += _known_page(page)
            page = []
    return marked + _known_page(page)


def _safe_cin(value):
    try:
        return clean_cin(value or "")
    except ValidationError:
        return None


def _known_page(page) -> int:
    cins = {cin for _pk, cin in page if cin}
    known = set(Person.objects.filter(cin__in=cins).values_list("cin", flat=True))
    ids = [pk for pk, cin in page if cin in known]
    ImportRow.objects.filter(pk__in=ids).update(
        status=RowStatus.DUPLICATE, error=_("already in the file of members (same CIN)")
    )
    return len(ids)


@job_handler("people.import_run")
def import_run(job: Job) -> dict:
    """Import the lines still to import, 500 per transaction; resumable after any interruption."""
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    communes = {
        t.code: t
        for t in Territory.objects.filter(
            path__startswith=batch.territory.path, level__gte=Level.COMMUNE
        )
    }
    total = batch.rows.filter(status=RowStatus.PENDING).count()
    done = 0
    while True:
        chunk = list(batch.rows.filter(status=RowStatus.PENDING).order_by("line")[:CHUNK])
        if not chunk:
            break
        _import_chunk(job, batch, chunk, communes)
        done += len(chunk)
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


@transaction.atomic
def _import_chunk(job: Job, batch: ImportBatch, chunk: list[ImportRow], communes) -> None:
    territories = {t.pk: t for t in communes.values()}
    people = []
    for row in chunk:
        clean = clean_line(row.data, territory=batch.territory, communes=communes)
        keys = person_keys(
            clean["first_name_ar"],
            clean["last_name_ar"],
            clean["first_name_latin"],
            clean["last_name_latin"],
        )
        people.append(
            Person(
                **{
                    f: clean[f]
                    for f in (
                        "first_name_ar",
                        "last_name_ar",
                        "first_name_latin",
                        "last_name_latin",
                        "gender",
                        "birth_date",
                        "cin",
                        "phone",
                        "email",
                    )
                },
                territory_id=clean["territory_id"],
                key_first=keys[0],
                key_last=keys[1],
                key_full=keys[2],
                created_by=job.created_by,
            )
        )
        row.joined_on = clean["joined_on"] or timezone.localdate()
    Person.objects.bulk_create(people)
    consents = Consent.objects.bulk_create(
        [
            Consent(
                person=p,
                purpose=ConsentPurpose.MEMBERSHIP,
                text_version=CONSENT_VERSION,
                channel=ConsentChannel.IMPORT,
                collected_by=job.created_by,
            )
            for p in people
        ]
    )
    memberships = []
    for row, person, consent in zip(chunk, people, consents, strict=True):
        region = territories[person.territory_id].path.split("/")[1]
        memberships.append((row, person, consent, region))
    numbers = _allocate(memberships)
    created = Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                status=MembershipStatus.ACTIVE,
                territory_id=p.territory_id,
                joined_on=row.joined_on,
                consent=c,
                card_number=numbers[i],
            )
            for i, (row, p, c, _region) in enumerate(memberships)
        ]
    )
    MembershipChange.objects.bulk_create(
        MembershipChange(
            membership=m, to_status=MembershipStatus.ACTIVE, by=job.created_by, reason=_("Imported")
        )
        for m in created
    )
    member_counts_add(memberships=created)  # the dashboard's counts, in this transaction
    for row, person in zip(chunk, people, strict=True):
        row.status, row.person = RowStatus.IMPORTED, person
    ImportRow.objects.bulk_update(chunk, ["status", "person"])


def _allocate(memberships) -> list[str]:
    """Card numbers for a whole chunk: one locked increment per region and year."""
    wanted: dict[tuple[str, int], int] = {}
    for row, _person, _consent, region in memberships:
        wanted[(region, row.joined_on.year)] = wanted.get((region, row.joined_on.year), 0) + 1
    start = {}
    regions = {t.code: t for t in Territory.objects.filter(code__in={r for r, _y in wanted})}
    for (region, year), count in sorted(wanted.items()):
        CardSequence.objects.bulk_create(
            [CardSequence(region=regions[region], year=year)], ignore_conflicts=True
        )
        sequence = CardSequence.objects.select_for_update().get(region=regions[region], year=year)
        start[(region, year)] = sequence.last
        CardSequence.objects.filter(pk=sequence.pk).update(last=F("last") + count)
    numbers = []
    for row, _person, _consent, region in memberships:
        start[(region, row.joined_on.year)] += 1
        numbers.append(f"{region}-{row.joined_on.year}-{start[(region, row.joined_on.year)]:06d}")
    return numbers


@transaction.atomic
def import_rollback(*, actor, batch: ImportBatch) -> int:
    """Remove the persons, consents and memberships an import created; its lines can be imported again."""
    rows = batch.rows.filter(status=RowStatus.IMPORTED)
    person_ids = list(rows.values_list("person_id", flat=True))
    memberships = Membership.objects.filter(person_id__in=person_ids)
    member_counts_subtract(memberships=memberships)
    MembershipChange.objects.filter(membership__in=memberships).delete()
    memberships.delete()
    Consent.objects.filter(person_id__in=person_ids).delete()
    Person.objects.filter(pk__in=person_ids).delete()
    count = rows.update(status=RowStatus.PENDING, person=None)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.ROLLED_BACK)
    return count


def invalid_lines_csv(batch: ImportBatch) -> str:
    """The lines that were not imported, as CSV, each with its error (to fix and upload again)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "status", "error", *batch.columns])
    for row in batch.rows.exclude(status__in=[RowStatus.IMPORTED, RowStatus.PENDING]).iterator():
        writer.writerow(
            [
                row.line,
                row.status,
                row.error,
                *(row.data.get(batch.mapping.get(c, ""), "") for c in batch.columns),
            ]
        )
    return "\ufeff" + out.getvalue()
